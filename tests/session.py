"""A Streamlit session driven over the app's own websocket protocol, without a browser.

The browser and the server talk through ``/_stcore/stream``: the browser sends a ``BackMsg``
asking for a run (the page's URL path, its query string and the widgets' values) and the server
answers with ``ForwardMsg``s (every element of the page, then ``script_finished``). This client
sends the same requests and reads the same answers, so the server does exactly the work a
browser visit costs it, while the client costs almost no CPU: on a small machine the load check
then measures the server instead of five headless browsers drawing charts on the same cores.

It also fetches the page's HTML and, on a session's first visit, the JavaScript and CSS the HTML
names, as a browser with an empty cache would (the assets are immutable, so later visits reuse
them).

    async with Session("http://127.0.0.1:8501") as s:
        visit = await s.open("trees")          # a deep link: a new connection, a first run
        moved = await s.move_first_slider()    # the sidebar's first slider to its end
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import http.cookiejar
import re
import time
import urllib.request
import uuid
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect

SIDEBAR = 1  # the first index of a sidebar element's delta path
SELECT_SLIDER = 2  # Slider.type of st.select_slider
_ASSET = re.compile(rb'(?:src|href)="\./(static/[^"]+\.(?:js|css))"')


def asset_paths(html: bytes) -> list[str]:
    """The JavaScript and CSS files a page's HTML makes a fresh browser load (``static/...``)."""
    return [asset.decode() for asset in _ASSET.findall(html)]


@dataclass
class Run:
    """What one script run sent: its element kinds, exceptions and how long it took."""

    seconds: float = 0.0
    elements: dict[str, int] = field(default_factory=dict)
    chart_digests: list[str] = field(default_factory=list)  # each chart's spec and data, hashed
    exceptions: list[str] = field(default_factory=list)
    sliders: list = field(default_factory=list)  # sidebar Slider protos, in page order
    uploaders: list = field(default_factory=list)  # FileUploader protos, in page order
    alerts: list[str] = field(default_factory=list)  # the text of every info/warning/error box
    page_not_found: bool = False

    @property
    def charts(self) -> int:
        return self.elements.get("vega_lite_chart", 0)


class Session:
    """One visitor: deep-link visits and slider moves, each timed until the run finishes."""

    def __init__(self, url: str, timeout: float = 120.0):
        self.url = url.rstrip("/")
        self.timeout = timeout
        self._ws: ClientConnection | None = None
        # Cookies, as a browser keeps them: behind HAProxy the sticky-session cookie.
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        # The replica that answered (HAProxy's X-Lab-Replica header): (page HTML, websocket).
        self.replicas: list[tuple[str | None, str | None]] = []
        self._sliders: list = []  # the sidebar sliders of the page last opened
        self._uploaders: list = []  # its file uploaders
        self.session_id = ""
        self._assets_fetched = False
        self._query = ""
        self._page = ""

    async def __aenter__(self) -> Session:
        return self

    async def __aexit__(self, *exc) -> None:
        await self._close()

    async def _close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    async def open(self, path: str, query: str = "") -> Run:
        """Load ``/<path>?<query>`` as a fresh page load: HTML, a new connection, the first run."""
        t0 = time.perf_counter()
        html_replica = await asyncio.to_thread(self._fetch_html, path)
        await self._close()
        ws_url = "ws" + self.url.removeprefix("http") + "/_stcore/stream"
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.cookies)
        self._ws = await connect(
            ws_url,
            subprotocols=["streamlit"],
            origin=self.url,
            max_size=None,
            additional_headers={"Cookie": cookie} if cookie else None,
        )
        self.replicas.append((html_replica, self._ws.response.headers.get("X-Lab-Replica")))
        self._page, self._query = path, query
        run = await self._run(BackMsg())
        run.seconds = time.perf_counter() - t0
        self._sliders, self._uploaders = run.sliders, run.uploaders
        return run

    async def upload(self, content: bytes, name: str, uploader: int = 0) -> Run:
        """Upload a file into the page's ``uploader``-th file uploader, as the browser does.

        The bytes go to ``/_stcore/upload_file/<session>/<file>`` (with the XSRF token the
        health check set as a cookie) on the replica that holds this session; then a rerun
        tells the widget which file it holds. Returns that run.
        """
        if not self._uploaders:
            raise RuntimeError(f"page {self._page!r} has no file uploader")
        widget = self._uploaders[uploader]
        file_id = uuid.uuid4().hex
        upload_url = f"/_stcore/upload_file/{self.session_id}/{file_id}"
        await asyncio.to_thread(self._put_file, upload_url, content, name)
        msg = BackMsg()
        state = msg.rerun_script.widget_states.widgets.add()
        state.id = widget.id
        info = state.file_uploader_state_value.uploaded_file_info.add()
        info.name, info.size, info.file_id = name, len(content), file_id
        info.file_urls.file_id = file_id
        info.file_urls.upload_url = upload_url
        info.file_urls.delete_url = upload_url
        t0 = time.perf_counter()
        run = await self._run(msg)
        run.seconds = time.perf_counter() - t0
        return run

    def _put_file(self, path: str, content: bytes, name: str) -> None:
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="{name}"\r\nContent-Type: text/csv\r\n\r\n'
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        xsrf = next((c.value for c in self.cookies if c.name == "_streamlit_xsrf"), "")
        request = urllib.request.Request(
            f"{self.url}{path}",
            data=body,
            method="PUT",
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "X-Xsrftoken": xsrf,
            },
        )
        with self._opener.open(request, timeout=60) as response:
            if response.status != 204:
                raise RuntimeError(f"upload refused: HTTP {response.status}")

    async def move_first_slider(self) -> Run:
        """Set the sidebar's first slider to its largest value (the End key) and wait for the run."""
        return await self.move_slider(0, 1.0)

    async def move_slider(self, index: int, fraction: float) -> Run:
        """Set the sidebar's ``index``-th slider to ``fraction`` of its range and wait for the run.

        A select slider takes the option at that fraction of its list; a number slider the value
        at that fraction of [min, max], on its step. Sent as the browser sends it.
        """
        if not self._sliders:
            raise RuntimeError(f"page {self._page!r} has no slider in its sidebar")
        slider = self._sliders[index % len(self._sliders)]
        msg = BackMsg()
        state = msg.rerun_script.widget_states.widgets.add()
        state.id = slider.id
        values = list(slider.default) or [slider.min]
        if slider.type == SELECT_SLIDER:  # sent as the formatted options, like the browser does
            chosen = slider.options[round(fraction * (len(slider.options) - 1))]
            labels = [*(slider.options[int(i)] for i in values[:-1]), chosen]
            state.string_array_value.data.extend(labels)
        else:
            step = slider.step or 1.0
            value = slider.min + round(fraction * (slider.max - slider.min) / step) * step
            state.double_array_value.data.extend([*values[:-1], min(slider.max, value)])
        t0 = time.perf_counter()
        run = await self._run(msg)
        run.seconds = time.perf_counter() - t0
        return run

    async def _run(self, msg: BackMsg) -> Run:
        msg.rerun_script.page_name = self._page
        msg.rerun_script.query_string = self._query
        await self._ws.send(msg.SerializeToString())
        run = Run()
        async with asyncio.timeout(self.timeout):
            while True:
                fwd = ForwardMsg()
                fwd.ParseFromString(await self._ws.recv())
                kind = fwd.WhichOneof("type")
                if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                    self._record(run, fwd)
                elif kind == "new_session":
                    self.session_id = fwd.new_session.initialize.session_id
                elif kind == "page_info_changed":
                    self._query = fwd.page_info_changed.query_string
                elif kind == "page_not_found":
                    run.page_not_found = True
                elif (
                    kind == "script_finished"
                    and fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
                ):
                    return run

    @staticmethod
    def _record(run: Run, fwd: ForwardMsg) -> None:
        element = fwd.delta.new_element
        kind = element.WhichOneof("type")
        run.elements[kind] = run.elements.get(kind, 0) + 1
        if kind == "exception":
            run.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif kind == "vega_lite_chart":
            chart = element.vega_lite_chart
            digest = hashlib.sha1(chart.spec.encode())
            for dataset in chart.datasets:
                digest.update(dataset.data.data)
            if chart.HasField("data"):
                digest.update(chart.data.data)
            run.chart_digests.append(digest.hexdigest())
        elif kind == "slider" and fwd.metadata.delta_path[:1] == [SIDEBAR]:
            run.sliders.append(element.slider)
        elif kind == "file_uploader":
            run.uploaders.append(element.file_uploader)
        elif kind == "alert":
            run.alerts.append(element.alert.body)

    def _fetch_html(self, path: str) -> str | None:
        """GET the page's HTML (and the assets once); the replica that answered, if named."""
        html, replica = self._get(f"{self.url}/{path}")
        if not self._assets_fetched:
            for asset in asset_paths(html):
                self._get(f"{self.url}/{asset}")
            self._assets_fetched = True
        self._get(f"{self.url}/_stcore/health")  # as the browser does: it sets the XSRF cookie
        return replica

    def _get(self, url: str) -> tuple[bytes, str | None]:
        """GET as a browser does (gzip accepted, cookies kept): the body and X-Lab-Replica."""
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
        with self._opener.open(request, timeout=60) as response:
            body = response.read()
            if response.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            return body, response.headers.get("X-Lab-Replica")
