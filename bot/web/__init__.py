"""HTTP plumbing shared by every web-facing part: keys, middleware, health."""
