"""Small fakes of the networks on 127.0.0.1, speaking their real request/response shapes.

(One module over 300 lines on purpose: the seven fakes share one base
``Fake`` (server, fault list, recorder) and each is short; ``fakes_meta`` and
``fakes_whatsapp`` hold the Graph API ones.)

Each fake records every request and created post, and injects faults on its
"create" endpoint: ``fake.faults.append("429")`` etc.  Faults:
``401`` (token refused), ``403`` (refused, token fine), ``429``, ``500`` (before saving),
``500-after-save``, ``timeout``
(hold the answer past the client timeout), ``timeout-after-save``,
``malformed`` (a 200 with broken JSON, after saving), ``hold-after-save``
(save, signal ``saved_event``, then hold: used to kill a worker mid-delivery).

Media endpoints (uploads that create no post) take their faults from
``fake.media_faults`` (same names, plus ``400``: the image is refused).
Uploaded files are kept as bytes so tests can decode them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import itertools
import json
import socket
import threading
from collections import deque

import regex
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

URL = regex.compile(r"https?://\S+")


def graphemes(text: str) -> int:
    return len(regex.findall(r"\X", text))


def free_port() -> int:
    """A port nothing listens on (for "connection refused")."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def file_bytes(request: Request, name: str) -> bytes:
    """An uploaded file's bytes (the recorder has already read the stream once)."""
    storage = request.files[name]
    storage.stream.seek(0)
    return storage.read()


def image_size(data: bytes) -> tuple[int, int] | None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except Exception:  # noqa: BLE001 - the network answers "invalid image"
        return None


def as_json(data, status=200, headers=None) -> Response:
    return Response(json.dumps(data), status=status, headers=headers or {}, mimetype="application/json")


class Fake:
    token = "good-token"

    def __init__(self):
        self.requests: list[dict] = []
        self.posts: dict[str, dict] = {}
        self.faults: deque[str] = deque()
        self.media_faults: deque[str] = deque()
        self.release = threading.Event()
        self.saved_event = threading.Event()
        self.ids = itertools.count(1001)
        self.lock = threading.Lock()
        self.server = make_server("127.0.0.1", 0, self.wsgi, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    # subclasses: route(request) -> Response; is_create(request) -> bool
    def is_create(self, request: Request) -> bool:
        return False

    def is_media(self, request: Request) -> bool:
        return False

    def media_refused(self) -> Response:
        return as_json({"error": "Validation failed: File could not be processed"}, 422)

    def fault_response(self) -> Response:
        return as_json({"error": "boom"}, 500)

    def wsgi(self, environ, start_response):
        request = Request(environ)
        body = request.get_data()
        self.requests.append(
            {
                "method": request.method,
                "path": request.path,
                "headers": dict(request.headers),
                "body": body,
                "form": request.form.to_dict(),
                "args": request.args.to_dict(),
                "files": {k: f.read() for k, f in request.files.items()},
            }
        )
        fault = None
        if self.is_create(request) and self.faults:
            fault = self.faults.popleft()
        elif self.is_media(request) and self.media_faults:
            fault = self.media_faults.popleft()
        if fault in ("timeout",):
            self.release.wait(10)
        if fault == "400":
            response = self.media_refused()
        elif fault == "401":
            response = self.unauthorized()
        elif fault == "403":
            response = self.forbidden()
        elif fault == "429":
            response = self.rate_limited()
        elif fault == "500":
            response = self.fault_response()
        else:
            response = self.route(request)
            if fault == "500-after-save":
                response = self.fault_response()
            elif fault in ("timeout-after-save", "hold-after-save"):
                self.saved_event.set()
                self.release.wait(10)
            elif fault == "malformed":
                response = Response(b'{"id": "12', status=200, mimetype="application/json")
        return response(environ, start_response)

    def unauthorized(self) -> Response:
        return as_json({"error": "The access token is invalid"}, 401)

    def forbidden(self) -> Response:
        """A refusal that is not about the token (the post itself is not allowed)."""
        return as_json({"error": "This action is not allowed"}, 403)

    def rate_limited(self) -> Response:
        return as_json({"error": "Too many requests"}, 429, {"Retry-After": "7"})

    def bearer_ok(self, request) -> bool:
        return request.headers.get("Authorization") == f"Bearer {self.token}"


class FakeMastodon(Fake):
    def __init__(self):
        super().__init__()
        self.by_key: dict[str, dict] = {}
        self.media: dict[str, dict] = {}

    def is_create(self, request):  # faults also hit edits (PUT)
        return request.path.startswith("/api/v1/statuses") and request.method in ("POST", "PUT")

    def is_media(self, request):
        return request.path == "/api/v2/media"

    def route(self, request):
        if not self.bearer_ok(request):
            return self.unauthorized()
        path = request.path
        if path == "/api/v1/accounts/verify_credentials":
            return as_json({"id": "1", "acct": "humas", "username": "humas"})
        if path == "/api/v2/media" and request.method == "POST":
            data = file_bytes(request, "file")
            if len(data) > 16 * 1024 * 1024 or image_size(data) is None:
                return self.media_refused()
            if len(request.form.get("description") or "") > 1500:
                return as_json({"error": "Validation failed: Description is too long"}, 422)
            media_id = str(next(self.ids))
            self.media[media_id] = {
                "description": request.form.get("description"),
                "size": len(data),
                "data": data,
                "mime": request.files["file"].mimetype,
            }
            return as_json({"id": media_id, "type": "image", "url": None}, 202)
        if path.startswith("/api/v1/media/"):
            media_id = path.rsplit("/", 1)[1]
            return as_json({"id": media_id, "type": "image", "url": f"{self.url}/m/{media_id}.jpg"})
        if request.method == "POST" and path == "/api/v1/statuses":
            return self.create(request)
        if path.startswith("/api/v1/statuses/"):
            status_id = path.rsplit("/", 1)[1]
            if status_id not in self.posts:
                return as_json({"error": "Record not found"}, 404)
            if request.method == "DELETE":
                return as_json(self.posts.pop(status_id))
            self.posts[status_id]["text"] = request.get_json()["status"]
            self.posts[status_id]["edited"] = True
            return as_json(self.posts[status_id])
        return as_json({"error": "Not found"}, 404)

    def create(self, request):
        key = request.headers.get("Idempotency-Key")
        with self.lock:
            if key and key in self.by_key:
                return as_json(self.by_key[key])
            data = request.get_json()
            text = data["status"]
            length = graphemes(URL.sub("", text)) + 23 * len(URL.findall(text))
            if length > 500:
                return as_json({"error": "Validation failed: Text character limit of 500 exceeded"}, 422)
            media_ids = data.get("media_ids") or []
            if len(media_ids) > 4 or any(m not in self.media for m in media_ids):
                return as_json({"error": "Validation failed: Media ids are invalid or too many"}, 422)
            status_id = str(next(self.ids))
            status = {
                "id": status_id,
                "url": f"https://mastodon.test/@humas/{status_id}",
                "text": text,
                "media_ids": data.get("media_ids", []),
                "visibility": data.get("visibility"),
            }
            self.posts[status_id] = status
            if key:
                self.by_key[key] = status
            return as_json(status)


class FakeTelegram(Fake):
    ALLOWED = {"b", "strong", "i", "em", "u", "s", "a", "code", "pre", "blockquote"}

    def is_create(self, request):
        return request.path.endswith(("/sendMessage", "/sendPhoto", "/sendMediaGroup"))

    def media_refused(self):
        return self.bad("PHOTO_INVALID_DIMENSIONS")

    def _photo_problem(self, data: bytes) -> str | None:
        size = image_size(data)
        if size is None:
            return "IMAGE_PROCESS_FAILED"
        if len(data) > 10 * 1024 * 1024 or sum(size) > 10_000 or max(size) > 20 * min(size):
            return "PHOTO_INVALID_DIMENSIONS"
        return None

    def unauthorized(self):
        return as_json({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)

    def forbidden(self):
        return as_json(
            {"ok": False, "error_code": 403, "description": "Forbidden: bot is not a member of the channel chat"}, 403
        )

    def rate_limited(self):
        return as_json(
            {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 7",
                "parameters": {"retry_after": 7},
            },
            429,
        )

    def fault_response(self):
        return as_json({"ok": False, "error_code": 500, "description": "Internal Server Error"}, 500)

    def bad(self, description):
        return as_json({"ok": False, "error_code": 400, "description": f"Bad Request: {description}"}, 400)

    def _visible(self, html):
        """Parse like Telegram: balanced allowed tags only, entities decoded."""
        stack = []
        for m in regex.finditer(r"<(/?)([a-z-]+)[^>]*>", html):
            closing, tag = m.group(1), m.group(2)
            if tag not in self.ALLOWED:
                return None
            if closing:
                if not stack or stack.pop() != tag:
                    return None
            else:
                stack.append(tag)
        if stack or regex.search(r"<(?![a-z/])|&(?!amp;|lt;|gt;|quot;)", html):
            return None
        import html as html_mod

        return html_mod.unescape(regex.sub(r"<[^>]+>", "", html))

    def route(self, request):
        token, _, method = request.path[len("/bot") :].partition("/")
        if token != self.token:
            return self.unauthorized()
        data = request.get_json() if request.is_json else request.form.to_dict()
        if method == "getMe":
            return as_json({"ok": True, "result": {"id": 1, "is_bot": True, "username": "humas_bot"}})
        if method == "sendMediaGroup":
            return self._media_group(request, data)
        if method == "sendPhoto" and self._photo_problem(file_bytes(request, "photo")):
            return self.bad(self._photo_problem(file_bytes(request, "photo")))
        if method in ("sendMessage", "sendPhoto"):
            field, limit = ("text", 4096) if method == "sendMessage" else ("caption", 1024)
            visible = self._visible(data.get(field, ""))
            if visible is None:
                return self.bad("can't parse entities: Can't find end tag corresponding to start tag")
            if len(visible.encode("utf-16-le")) // 2 > limit:
                return self.bad("message is too long" if field == "text" else "message caption is too long")
            with self.lock:
                message_id = next(self.ids)
                self.posts[str(message_id)] = {
                    "chat_id": data.get("chat_id"),
                    field: data[field],
                    "method": method,
                    "visible": visible,
                    "photos": [file_bytes(request, "photo")] if method == "sendPhoto" else [],
                }
            return as_json(
                {
                    "ok": True,
                    "result": {"message_id": message_id, "date": 0, "chat": {"id": -1001234, "type": "channel"}},
                }
            )
        if method in ("editMessageText", "editMessageCaption"):
            post = self.posts.get(str(data["message_id"]))
            if post is None:
                return self.bad("message to edit not found")
            field = "caption" if method == "editMessageCaption" else "text"
            if (field == "caption") != (post.get("method") in ("sendPhoto", "sendMediaGroup")):
                return self.bad(f"there is no {field} in the message to edit")
            post["edited"] = data.get("text") or data.get("caption")
            return as_json({"ok": True, "result": {"message_id": data["message_id"]}})
        if method == "deleteMessage":
            self.posts.pop(str(data["message_id"]), None)
            return as_json({"ok": True, "result": True})
        if method == "deleteMessages":
            for message_id in data["message_ids"]:
                self.posts.pop(str(message_id), None)
            return as_json({"ok": True, "result": True})
        return as_json({"ok": False, "error_code": 404, "description": "Not Found"}, 404)

    def _media_group(self, request, data):
        """2–10 InputMediaPhoto with ``attach://`` files; one message per photo."""
        media = json.loads(data.get("media") or "[]")
        if not 2 <= len(media) <= 10:
            return self.bad("wrong number of media in the album")
        photos = []
        for item in media:
            name = item.get("media", "")[len("attach://") :]
            if item.get("type") != "photo" or name not in request.files:
                return self.bad("wrong file identifier/HTTP URL specified")
            problem = self._photo_problem(file_bytes(request, name))
            if problem:
                return self.bad(problem)
            photos.append(file_bytes(request, name))
        caption = media[0].get("caption", "")
        visible = self._visible(caption)
        if visible is None:
            return self.bad("can't parse entities")
        if len(visible.encode("utf-16-le")) // 2 > 1024:
            return self.bad("message caption is too long")
        with self.lock:
            ids = [next(self.ids) for _ in media]
            self.posts[str(ids[0])] = {
                "chat_id": data.get("chat_id"),
                "caption": caption,
                "visible": visible,
                "method": "sendMediaGroup",
                "photos": photos,
                "album": ids,
            }
            for extra in ids[1:]:
                self.posts[str(extra)] = {"album_of": ids[0]}
        return as_json(
            {
                "ok": True,
                "result": [
                    {"message_id": i, "date": 0, "media_group_id": "g1", "chat": {"id": -1001234, "type": "channel"}}
                    for i in ids
                ],
            }
        )


class FakeBluesky(Fake):
    handle, password, did = "humas.test", "app-pass-1234", "did:plc:humas"

    def __init__(self):
        super().__init__()
        self.sessions = 0
        self.access = set()
        self.refresh = set()
        self.blobs = 0
        self.blob_data: dict[str, dict] = {}
        self.duplicate_status = 400

    def is_create(self, request):
        return request.path.endswith("com.atproto.repo.createRecord")

    def is_media(self, request):
        return request.path.endswith("com.atproto.repo.uploadBlob")

    def media_refused(self):
        return as_json({"error": "InvalidRequest", "message": "Unsupported image"}, 400)

    def unauthorized(self):
        return as_json({"error": "AuthenticationRequired", "message": "Invalid identifier or password"}, 401)

    def rate_limited(self):
        return as_json(
            {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
            429,
            {"Retry-After": "7", "RateLimit-Remaining": "0"},
        )

    def fault_response(self):
        return as_json({"error": "InternalServerError", "message": "Internal Server Error"}, 500)

    def expire_sessions(self):
        self.access.clear()

    def _session(self):
        self.sessions += 1
        access, refresh = f"acc-{next(self.ids)}", f"ref-{next(self.ids)}"
        self.access.add(access)
        self.refresh.add(refresh)
        return as_json({"accessJwt": access, "refreshJwt": refresh, "handle": self.handle, "did": self.did})

    def _authed(self, request):
        token = request.headers.get("Authorization", "")[len("Bearer ") :]
        return token in self.access

    def route(self, request):
        nsid = request.path.rsplit("/", 1)[-1]
        if nsid == "com.atproto.server.createSession":
            data = request.get_json()
            if data.get("identifier") != self.handle or data.get("password") != self.password:
                return self.unauthorized()
            return self._session()
        if nsid == "com.atproto.server.refreshSession":
            token = request.headers.get("Authorization", "")[len("Bearer ") :]
            if token not in self.refresh:
                return as_json({"error": "ExpiredToken", "message": "Token has expired"}, 400)
            self.refresh.discard(token)
            return self._session()
        if not self._authed(request):
            return as_json({"error": "ExpiredToken", "message": "Token has expired"}, 400)
        if nsid == "com.atproto.repo.uploadBlob":
            data = request.get_data()
            if len(data) > 1_000_000:
                return as_json({"error": "BlobTooLarge", "message": "too big"}, 400)
            self.blobs += 1
            link = "bafkrei" + hashlib.sha256(data).hexdigest()[:40]
            self.blob_data[link] = {"data": data, "mime": request.headers.get("Content-Type")}
            return as_json(
                {
                    "blob": {
                        "$type": "blob",
                        "ref": {"$link": link},
                        "mimeType": request.headers.get("Content-Type"),
                        "size": len(data),
                    }
                }
            )
        if nsid == "com.atproto.repo.getRecord":
            rkey = request.args.get("rkey")
            if rkey not in self.posts:
                return as_json({"error": "RecordNotFound", "message": "Could not locate record"}, 400)
            return as_json({"uri": self.posts[rkey]["uri"], "cid": "bafy", "value": self.posts[rkey]["record"]})
        if nsid == "com.atproto.repo.deleteRecord":
            self.posts.pop(request.get_json()["rkey"], None)
            return as_json({})
        if nsid == "com.atproto.repo.createRecord":
            return self.create(request.get_json())
        return as_json({"error": "MethodNotImplemented"}, 501)

    def create(self, body):
        record, rkey = body["record"], body.get("rkey")
        text = record["text"]
        if graphemes(text) > 300 or len(text.encode()) > 3000:
            return as_json(
                {"error": "InvalidRequest", "message": "Record/text must not be longer than 300 graphemes"}, 400
            )
        raw = text.encode()
        for facet in record.get("facets", []):
            idx = facet["index"]
            if raw[idx["byteStart"] : idx["byteEnd"]].decode() != facet["features"][0]["uri"]:
                return as_json({"error": "InvalidRequest", "message": "facet does not match"}, 400)
        embed = record.get("embed") or {}
        if embed.get("$type") == "app.bsky.embed.images":
            images = embed.get("images") or []
            if not 1 <= len(images) <= 4 or any(
                i["image"]["ref"]["$link"] not in self.blob_data or "alt" not in i for i in images
            ):
                return as_json({"error": "InvalidRequest", "message": "Invalid app.bsky.embed.images"}, 400)
        with self.lock:
            if rkey in self.posts:
                return as_json({"error": "InvalidRequest", "message": "Record already exists"}, self.duplicate_status)
            uri = f"at://{self.did}/app.bsky.feed.post/{rkey}"
            self.posts[rkey] = {"uri": uri, "record": record}
        return as_json({"uri": uri, "cid": "bafyrei" + rkey})


class FakeFacebook(Fake):
    page = "555"

    def __init__(self):
        super().__init__()
        self.photos: dict[str, dict] = {}  # photo id -> bytes, alt, published

    def is_create(self, request):
        published_photo = request.path.endswith("/photos") and request.form.get("published") != "false"
        return request.method == "POST" and (request.path.endswith("/feed") or published_photo)

    def is_media(self, request):
        return request.path.endswith("/photos") and request.form.get("published") == "false"

    def media_refused(self):
        return self.graph_error(324, "Missing or invalid image file")

    def _photo(self, request, published):
        data = file_bytes(request, "source") if "source" in request.files else b""
        if image_size(data) is None or len(data) > 4 * 1024 * 1024:
            return None
        photo_id = str(next(self.ids))
        self.photos[photo_id] = {"data": data, "alt": request.form.get("alt_text_custom"), "published": published}
        return photo_id

    def graph_error(self, code, message, status=400):
        return as_json(
            {"error": {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbCdEf"}}, status
        )

    def unauthorized(self):
        return self.graph_error(190, "Error validating access token: Session has expired")

    def rate_limited(self):
        return self.graph_error(32, "Page request limit reached", 400)

    def fault_response(self):
        return self.graph_error(2, "An unexpected error has occurred. Please retry your request later.", 500)

    def route(self, request):
        token = request.form.get("access_token") or request.args.get("access_token")
        if token != self.token:
            return self.unauthorized()
        parts = request.path.strip("/").split("/")  # v21.0, page, feed
        if request.method == "POST" and parts[-1] == "photos":
            published = request.form.get("published") != "false"
            with self.lock:
                photo_id = self._photo(request, published)
                if photo_id is None:
                    return self.media_refused()
                if not published:
                    return as_json({"id": photo_id})
                post_id = f"{self.page}_{next(self.ids)}"
                self.posts[post_id] = {"message": request.form.get("message"), "link": None, "photos": [photo_id]}
            return as_json({"id": photo_id, "post_id": post_id})
        if self.is_create(request):
            attached = [
                json.loads(v)["media_fbid"] for k, v in sorted(request.form.items()) if k.startswith("attached_media[")
            ]
            if any(self.photos.get(p, {}).get("published", True) for p in attached):
                return self.graph_error(100, "Invalid parameter: attached_media must be unpublished photos")
            with self.lock:
                post_id = f"{self.page}_{next(self.ids)}"
                self.posts[post_id] = {
                    "message": request.form.get("message"),
                    "link": request.form.get("link"),
                    "photos": attached,
                }
            return as_json({"id": post_id})
        if request.method == "GET" and parts[-1] == self.page:
            return as_json({"name": "Humas Kota", "id": self.page})
        if request.method == "DELETE":
            self.posts.pop(parts[-1], None)
            return as_json({"success": True})
        if request.method == "POST" and parts[-1] in self.posts:
            self.posts[parts[-1]]["message"] = request.form.get("message")
            return as_json({"success": True})
        return self.graph_error(100, "Unsupported request")


class FakeX(Fake):
    def __init__(self):
        super().__init__()
        self.media: dict[str, dict] = {}

    def is_create(self, request):
        return request.method == "POST" and request.path == "/2/tweets"

    def is_media(self, request):
        return request.path == "/2/media/upload"

    def media_refused(self):
        return as_json(
            {
                "title": "Invalid Request",
                "detail": "One or more parameters to your request was invalid.",
                "type": "https://api.twitter.com/2/problems/invalid-request",
                "status": 400,
            },
            400,
        )

    def _media(self, request):
        if request.path == "/2/media/upload":
            data = file_bytes(request, "media")
            if (
                request.form.get("media_category") != "tweet_image"
                or len(data) > 5 * 1024 * 1024
                or image_size(data) is None
            ):
                return self.media_refused()
            media_id = str(next(self.ids)) + "0" * 10
            self.media[media_id] = {"data": data, "mime": request.files["media"].mimetype, "alt": None}
            return as_json(
                {"data": {"id": media_id, "media_key": f"3_{media_id}", "size": len(data), "expires_after_secs": 86400}}
            )
        body = request.get_json()
        alt = body["metadata"]["alt_text"]["text"]
        if body["id"] not in self.media or len(alt) > 1000:
            return self.media_refused()
        self.media[body["id"]]["alt"] = alt
        return as_json({"data": {"associated_metadata": True}})

    def unauthorized(self):
        return as_json({"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}, 401)

    def rate_limited(self):
        return as_json(
            {"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429},
            429,
            {"x-rate-limit-remaining": "0", "x-rate-limit-reset": "4102444800"},
        )

    def fault_response(self):
        return as_json({"title": "Internal Server Error", "status": 500}, 500)

    def route(self, request):
        if not self.bearer_ok(request):
            return self.unauthorized()
        if request.path == "/2/users/me":
            return as_json({"data": {"id": "42", "username": "humaskota", "name": "Humas"}})
        if request.path.startswith("/2/media/"):
            return self._media(request)
        if self.is_create(request):
            text = request.get_json()["text"]
            media_ids = (request.get_json().get("media") or {}).get("media_ids") or []
            if len(media_ids) > 4 or any(m not in self.media for m in media_ids):
                return self.media_refused()
            with self.lock:
                if any(p["text"] == text for p in self.posts.values()):
                    return as_json(
                        {
                            "detail": "You are not allowed to create a Tweet with duplicate content.",
                            "type": "about:blank",
                            "title": "Forbidden",
                            "status": 403,
                        },
                        403,
                    )
                tweet_id = str(next(self.ids))
                self.posts[tweet_id] = {"text": text, "media_ids": media_ids}
            return as_json({"data": {"id": tweet_id, "text": text, "edit_history_tweet_ids": [tweet_id]}}, 201)
        if request.method == "DELETE" and request.path.startswith("/2/tweets/"):
            self.posts.pop(request.path.rsplit("/", 1)[1], None)
            return as_json({"data": {"deleted": True}})
        return as_json({"title": "Not Found", "status": 404}, 404)


class FakeWebhookReceiver(Fake):
    secret = "whsec_" + base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()

    def __init__(self):
        super().__init__()
        self.bad_signatures = 0

    def is_create(self, request):
        return request.method == "POST"

    def fault_response(self):
        return Response("oops", status=503)

    def route(self, request):
        body = request.get_data()
        msg_id, ts = request.headers.get("webhook-id", ""), request.headers.get("webhook-timestamp", "")
        key = base64.b64decode(self.secret[len("whsec_") :])
        expected = base64.b64encode(hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()).decode()
        given = [s.split(",", 1)[1] for s in request.headers.get("webhook-signature", "").split()]
        if expected not in given:
            self.bad_signatures += 1
            return Response("bad signature", status=400)
        with self.lock:
            if msg_id not in self.posts:  # dedupe on webhook-id, as the scheme requires
                self.posts[msg_id] = json.loads(body)
        return Response("", status=204)


class FakeDiscord(Fake):
    """``/api/webhooks/<id>/<token>`` with ``?wait=true``; 429 JSON with ``retry_after``."""

    hook_path = "/api/webhooks/123/tok-abc"

    def is_create(self, request):
        return request.method == "POST"

    def rate_limited(self):
        return as_json(
            {"message": "You are being rate limited.", "retry_after": 1.5, "global": False}, 429, {"Retry-After": "2"}
        )

    def route(self, request):
        if not request.path.startswith(self.hook_path):
            return as_json({"message": "Unknown Webhook", "code": 10015}, 404)
        rest = request.path[len(self.hook_path) :]
        if request.method == "GET" and not rest:
            return as_json({"id": "123", "name": "Humas", "channel_id": "777", "guild_id": "999"})
        if request.method == "POST" and not rest:
            data = request.get_json()
            if len(data.get("content", "")) > 2000:
                return as_json({"message": "Invalid Form Body", "code": 50035}, 400)
            with self.lock:
                message_id = str(next(self.ids))
                self.posts[message_id] = data
            body = {"id": message_id, "channel_id": "777", "content": data["content"]}
            return as_json(body) if request.args.get("wait") == "true" else Response(status=204)
        message_id = rest.rsplit("/", 1)[-1]
        if message_id not in self.posts:
            return as_json({"message": "Unknown Message", "code": 10008}, 404)
        if request.method == "PATCH":
            self.posts[message_id] = request.get_json()
            return as_json({"id": message_id, "channel_id": "777"})
        self.posts.pop(message_id)
        return Response(status=204)
