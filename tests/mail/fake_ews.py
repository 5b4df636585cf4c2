"""A fake Exchange Web Services endpoint on loopback (HTTPS, SOAP 1.1), built from the
EWS operation reference for the calls exchangelib makes for the EWS source and sender:
GetFolder (distinguished folders), FindFolder, CreateFolder, SyncFolderItems, GetItem
(MimeContent), MoveItem and CreateItem (SendOnly, MIME). ``busy`` answers
ErrorServerBusy with a BackOffMilliseconds hint, which FaultTolerance must honour."""

from __future__ import annotations

import base64
import ssl
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

from aiohttp import web

from tests.mail.servers import free_port

S = "http://schemas.xmlsoap.org/soap/envelope/"
M = "http://schemas.microsoft.com/exchange/services/2006/messages"
T = "http://schemas.microsoft.com/exchange/services/2006/types"
E = "http://schemas.microsoft.com/exchange/services/2006/errors"
USER = "EXAMPLE\\svc-lado"
PASSWORD = "ews-test-secret"


@dataclass
class EwsItem:
    id: str
    raw: bytes
    folder: str
    version: int
    change_key: int = 1


@dataclass
class FakeEws:
    folders: dict[str, tuple[str, str]] = field(
        default_factory=lambda: {
            "root": ("Root", ""),
            "msgfolderroot": ("Top of Information Store", "root"),
            "inbox": ("Inbox", "msgfolderroot"),
            "sentitems": ("Sent Items", "msgfolderroot"),
        }
    )
    items: dict[str, EwsItem] = field(default_factory=dict)
    removed: list[tuple[str, int]] = field(default_factory=list)
    sent: list[bytes] = field(default_factory=list)
    operations: list[str] = field(default_factory=list)
    busy: int = 0
    version: int = 0
    port: int = 0
    runner: web.AppRunner | None = None

    @property
    def endpoint(self) -> str:
        return f"https://127.0.0.1:{self.port}/EWS/Exchange.asmx"

    def deliver(self, raw: bytes) -> str:
        self.version += 1
        item_id = f"AAMkAGEws{self.version:04d}AAA="
        self.items[item_id] = EwsItem(item_id, raw, "inbox", self.version)
        return item_id

    def in_folder(self, name: str) -> list[EwsItem]:
        ids = [k for k, (n, _) in self.folders.items() if n == name]
        return [i for i in self.items.values() if i.folder in ids]

    # ------------------------------------------------------------ SOAP

    def _envelope(self, body: str) -> web.Response:
        xml = (
            f'<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="{S}">'
            f'<s:Header><h:ServerVersionInfo xmlns:h="{T}" MajorVersion="15" MinorVersion="1" '
            'MajorBuildNumber="2507" MinorBuildNumber="6" Version="V2017_07_11"/></s:Header>'
            f'<s:Body xmlns:m="{M}" xmlns:t="{T}">{body}</s:Body></s:Envelope>'
        )
        return web.Response(body=xml.encode(), content_type="text/xml", charset="utf-8")

    @staticmethod
    def _messages(op: str, parts: list[str]) -> str:
        joined = "".join(parts)
        return f"<m:{op}Response><m:ResponseMessages>{joined}</m:ResponseMessages></m:{op}Response>"

    @staticmethod
    def _ok(op: str, inner: str = "") -> str:
        return (
            f'<m:{op}ResponseMessage ResponseClass="Success"><m:ResponseCode>NoError'
            f"</m:ResponseCode>{inner}</m:{op}ResponseMessage>"
        )

    @staticmethod
    def _error(op: str, code: str, extra: str = "") -> str:
        return (
            f'<m:{op}ResponseMessage ResponseClass="Error"><m:MessageText>{code}</m:MessageText>'
            f"<m:ResponseCode>{code}</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>"
            f"{extra}</m:{op}ResponseMessage>"
        )

    def _folder_xml(self, folder_id: str) -> str:
        name, parent = self.folders[folder_id]
        count = len([i for i in self.items.values() if i.folder == folder_id])
        children = len([1 for _, p in self.folders.values() if p == folder_id])
        parent_xml = f'<t:ParentFolderId Id="{parent}" ChangeKey="ck"/>' if parent else ""
        return (
            f'<t:Folder><t:FolderId Id="{folder_id}" ChangeKey="ck"/>{parent_xml}'
            f"<t:FolderClass>IPF.Note</t:FolderClass><t:DisplayName>{escape(name)}</t:DisplayName>"
            f"<t:TotalCount>{count}</t:TotalCount><t:ChildFolderCount>{children}</t:ChildFolderCount>"
            "<t:UnreadCount>0</t:UnreadCount></t:Folder>"
        )

    def _folder_ids(self, node: ET.Element) -> list[str]:
        ids = []
        for el in node.iter():
            tag = el.tag.split("}")[-1]
            if tag in ("DistinguishedFolderId", "FolderId"):
                ids.append(el.get("Id", ""))
        return ids

    def get_folder(self, req: ET.Element) -> str:
        parts = []
        for folder_id in self._folder_ids(req.find(f"{{{M}}}FolderIds") or req):
            if folder_id in self.folders:
                parts.append(
                    self._ok("GetFolder", f"<m:Folders>{self._folder_xml(folder_id)}</m:Folders>")
                )
            else:
                parts.append(self._error("GetFolder", "ErrorFolderNotFound"))
        return self._messages("GetFolder", parts)

    def find_folder(self, req: ET.Element) -> str:
        parents = self._folder_ids(req.find(f"{{{M}}}ParentFolderIds") or req)
        deep = req.get("Traversal") == "Deep"
        parts = []
        for parent in parents:
            found = [k for k, (_, p) in self.folders.items() if p == parent]
            if deep:
                frontier = list(found)
                while frontier:
                    nxt = [k for k, (_, p) in self.folders.items() if p in frontier]
                    found += nxt
                    frontier = nxt
            inner = "".join(self._folder_xml(f) for f in found)
            parts.append(
                self._ok(
                    "FindFolder",
                    f'<m:RootFolder TotalItemsInView="{len(found)}" IncludesLastItemInRange="true">'
                    f"<t:Folders>{inner}</t:Folders></m:RootFolder>",
                )
            )
        return self._messages("FindFolder", parts)

    def create_folder(self, req: ET.Element) -> str:
        parent = (self._folder_ids(req.find(f"{{{M}}}ParentFolderId") or req) or ["msgfolderroot"])[
            0
        ]
        parts = []
        for folder in req.iter(f"{{{T}}}Folder"):
            name = folder.findtext(f"{{{T}}}DisplayName") or "Folder"
            folder_id = f"AAMkFolder{len(self.folders):03d}"
            self.folders[folder_id] = (name, parent)
            parts.append(
                self._ok(
                    "CreateFolder",
                    f'<m:Folders><t:Folder><t:FolderId Id="{folder_id}" ChangeKey="ck"/>'
                    "</t:Folder></m:Folders>",
                )
            )
        return self._messages("CreateFolder", parts)

    def sync_items(self, req: ET.Element) -> str:
        state = req.findtext(f"{{{M}}}SyncState") or ""
        since = int(state.removeprefix("state-")) if state.startswith("state-") else 0
        changes = [
            f'<t:Create><t:Message><t:ItemId Id="{i.id}" ChangeKey="{i.change_key}"/>'
            "</t:Message></t:Create>"
            for i in sorted(self.items.values(), key=lambda i: i.version)
            if i.folder == "inbox" and i.version > since
        ]
        changes += [
            f'<t:Delete><t:ItemId Id="{r}" ChangeKey="x"/></t:Delete>'
            for r, v in self.removed
            if v > since
        ]
        return self._messages(
            "SyncFolderItems",
            [
                self._ok(
                    "SyncFolderItems",
                    f"<m:SyncState>state-{self.version}</m:SyncState>"
                    "<m:IncludesLastItemInRange>true</m:IncludesLastItemInRange>"
                    f"<m:Changes>{''.join(changes)}</m:Changes>",
                )
            ],
        )

    def _item_ids(self, node: ET.Element | None) -> list[str]:
        if node is None:
            return []
        return [el.get("Id", "") for el in node.iter(f"{{{T}}}ItemId")]

    def get_item(self, req: ET.Element) -> str:
        mime = "MimeContent" in ET.tostring(req, encoding="unicode")
        parts = []
        for item_id in self._item_ids(req.find(f"{{{M}}}ItemIds")):
            item = self.items.get(item_id)
            if item is None:
                parts.append(self._error("GetItem", "ErrorItemNotFound"))
                continue
            content = (
                '<t:MimeContent CharacterSet="UTF-8">'
                f"{base64.b64encode(item.raw).decode()}</t:MimeContent>"
                if mime
                else ""
            )
            parts.append(
                self._ok(
                    "GetItem",
                    f'<m:Items><t:Message>{content}<t:ItemId Id="{item.id}" '
                    f'ChangeKey="{item.change_key}"/></t:Message></m:Items>',
                )
            )
        return self._messages("GetItem", parts)

    def move_item(self, req: ET.Element) -> str:
        target = self._folder_ids(req.find(f"{{{M}}}ToFolderId") or req)[0]
        parts = []
        for item_id in self._item_ids(req.find(f"{{{M}}}ItemIds")):
            item = self.items.get(item_id)
            if item is None or target not in self.folders:
                parts.append(self._error("MoveItem", "ErrorItemNotFound"))
                continue
            if item.folder == "inbox":
                self.version += 1
                self.removed.append((item.id, self.version))
            item.folder = target
            item.change_key += 1
            parts.append(
                self._ok(
                    "MoveItem",
                    f'<m:Items><t:Message><t:ItemId Id="{item.id}" '
                    f'ChangeKey="{item.change_key}"/></t:Message></m:Items>',
                )
            )
        return self._messages("MoveItem", parts)

    def create_item(self, req: ET.Element) -> str:
        if req.get("MessageDisposition") != "SendOnly":
            return self._messages(
                "CreateItem", [self._error("CreateItem", "ErrorInvalidOperation")]
            )
        for mime in req.iter(f"{{{T}}}MimeContent"):
            self.sent.append(base64.b64decode(mime.text or ""))
        return self._messages("CreateItem", [self._ok("CreateItem", "<m:Items/>")])

    async def handle(self, request: web.Request) -> web.Response:
        expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        if request.headers.get("Authorization") != expected:
            return web.Response(status=401, headers={"WWW-Authenticate": 'Basic realm="ews"'})
        envelope = ET.fromstring(await request.read())  # noqa: S314 (our own client's request)
        body = envelope.find(f"{{{S}}}Body")
        assert body is not None and len(body)
        req = body[0]
        op = req.tag.split("}")[-1]
        self.operations.append(op)
        if self.busy > 0 and op in ("SyncFolderItems", "GetItem"):
            # throttling arrives as a SOAP fault with the back-off in MessageXml
            self.busy -= 1
            fault = (
                f'<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="{S}"><s:Body>'
                f'<s:Fault><faultcode xmlns:a="{T}">a:ErrorServerBusy</faultcode>'
                '<faultstring xml:lang="en-US">The server cannot service this request right '
                f'now. Try again later.</faultstring><detail><e:ResponseCode xmlns:e="{E}">'
                f'ErrorServerBusy</e:ResponseCode><e:Message xmlns:e="{E}">The server cannot '
                f'service this request right now.</e:Message><t:MessageXml xmlns:t="{T}">'
                '<t:Value Name="BackOffMilliseconds">300</t:Value></t:MessageXml></detail>'
                "</s:Fault></s:Body></s:Envelope>"
            )
            return web.Response(status=500, body=fault.encode(), content_type="text/xml")
        handlers = {
            "GetFolder": self.get_folder,
            "FindFolder": self.find_folder,
            "CreateFolder": self.create_folder,
            "SyncFolderItems": self.sync_items,
            "GetItem": self.get_item,
            "MoveItem": self.move_item,
            "CreateItem": self.create_item,
        }
        if op not in handlers:
            return self._envelope(self._messages(op, [self._error(op, "ErrorInvalidRequest")]))
        return self._envelope(handlers[op](req))

    async def start(self, context: ssl.SSLContext) -> None:
        app = web.Application()
        app.router.add_post("/EWS/Exchange.asmx", self.handle)
        self.port = free_port()
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port, ssl_context=context).start()

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
