"""Fakes of Meta's Instagram Graph API and Threads API on 127.0.0.1.

They speak the container → status → publish flow and list recent media, as
the real APIs do.  Faults (``fake.faults``, see ``fakes.Fake``) hit the
publish endpoint; ``fake.statuses`` scripts the next container status
answers (e.g. ``["IN_PROGRESS", "FINISHED"]``); ``fake.expire_token()``
answers every call with OAuthException 190; ``fake.lose_publishes = 1``
holds the next publish past the client's timeout and then drops it (it
never happens); ``fake.list_faults`` scripts reads of recent media
(``["ok", "500"]``).
"""

from __future__ import annotations

from collections import deque
from datetime import UTC, datetime

from tests.plugins.crosspost.fakes import Fake, as_json, graphemes


class FakeMetaGraph(Fake):
    user = "17841400000000001"
    version = "v21.0"
    text_field = "caption"
    container_edge = list_edge = "media"
    publish_edge = "media_publish"
    status_field = "status_code"
    max_children = 10
    text_limit = 2200

    def __init__(self):
        super().__init__()
        self.containers: dict[str, dict] = {}
        self.statuses: deque[str] = deque()
        self.order: list[str] = []  # media ids, oldest first
        self.publish_calls = 0
        self.token_expired = False
        self.lose_publishes = 0
        self.not_ready = 0  # publishes answered "Media ID is not available" (Meta still processing)
        self.list_faults: deque[str] = deque()  # per read of recent media: "ok" or "500"

    @property
    def base(self) -> str:
        return f"{self.url}/{self.version}"

    def expire_token(self):
        self.token_expired = True

    def is_create(self, request):
        return request.method == "POST" and request.path.endswith(f"/{self.publish_edge}")

    def graph_error(self, code, message, status=400, subcode=None, kind="OAuthException"):
        error = {"message": message, "type": kind, "code": code, "fbtrace_id": "AxYz"}
        if subcode:
            error["error_subcode"] = subcode
        return as_json({"error": error}, status)

    def unauthorized(self):
        return self.graph_error(190, "Error validating access token: Session has expired on Sunday.", 400, 463)

    def rate_limited(self):
        return as_json(
            {
                "error": {
                    "message": "Application request limit reached",
                    "type": "OAuthException",
                    "code": 4,
                    "fbtrace_id": "AxYz",
                }
            },
            429,
            {"Retry-After": "7"},
        )

    def fault_response(self):
        return self.graph_error(
            2, "An unexpected error has occurred. Please retry your request later.", 500, kind="OAuthException"
        )

    # ---------------------------------------------------------------- routing
    def route(self, request):
        params = {**request.args.to_dict(), **request.form.to_dict()}
        if self.token_expired or params.get("access_token") != self.token:
            return self.unauthorized()
        parts = request.path.strip("/").split("/")[1:]  # drop the version
        if request.method == "POST" and parts == [self.user, self.container_edge]:
            return self.create_container(params)
        if request.method == "POST" and parts == [self.user, self.publish_edge]:
            return self.publish(params)
        if request.method == "GET" and parts == [self.user, self.list_edge]:
            if self.list_faults and self.list_faults.popleft() == "500":
                return self.fault_response()
            limit = int(params.get("limit") or 25)
            items = [self.posts[m] for m in reversed(self.order)][:limit]
            fields = params.get("fields", "id").split(",")
            return as_json({"data": [{f: item[f] for f in fields if f in item} for item in items]})
        if request.method == "GET" and parts == [self.user]:
            return as_json({"id": self.user, "username": "humaskota"})
        if request.method == "GET" and len(parts) == 1 and parts[0] in self.containers:
            container = self.containers[parts[0]]
            if container["status"] not in ("PUBLISHED", "ERROR") and self.statuses:
                container["status"] = self.statuses.popleft()
            return as_json(self.status_body(container))
        if request.method == "GET" and len(parts) == 1 and parts[0] in self.posts:
            post = self.posts[parts[0]]
            return as_json({"id": post["id"], "permalink": post["permalink"]})
        return self.graph_error(100, "Unsupported request", 400, 33, kind="GraphMethodException")

    def status_body(self, container):
        return {
            "id": container["id"],
            "status_code": container["status"],
            "status": "Error: Media upload has failed with error code 2207026"
            if container["status"] == "ERROR"
            else container["status"],
        }

    def too_long(self, text: str) -> bool:
        return len(text.encode("utf-16-le")) // 2 > self.text_limit

    def create_container(self, params):
        text = params.get(self.text_field, "")
        if self.too_long(text):
            return self.graph_error(100, "The caption is too long.", 400, 2207010)
        kind = params.get("media_type") or "IMAGE"
        if kind == "CAROUSEL":
            children = [c for c in params.get("children", "").split(",") if c]
            if not 2 <= len(children) <= self.max_children or any(
                not self.containers.get(c, {}).get("item") for c in children
            ):
                return self.graph_error(100, "Invalid children", 400, 2207023)
        elif kind == "IMAGE" and not params.get("image_url", "").startswith(("http://", "https://")):
            return self.graph_error(100, "Only photo or video can be accepted as media type.", 400, 2207052)
        with self.lock:
            container_id = str(next(self.ids))
            self.containers[container_id] = {
                "id": container_id,
                "status": "IN_PROGRESS" if self.statuses else "FINISHED",
                "kind": kind,
                "text": text,
                "image_url": params.get("image_url"),
                "alt_text": params.get("alt_text"),
                "item": params.get("is_carousel_item") == "true",
                "children": params.get("children", "").split(",") if kind == "CAROUSEL" else [],
            }
        return as_json({"id": container_id})

    def publish(self, params):
        self.publish_calls += 1
        if self.lose_publishes:
            self.lose_publishes -= 1
            self.release.wait(10)
            return self.fault_response()
        container = self.containers.get(params.get("creation_id", ""))
        if self.not_ready:
            self.not_ready -= 1
            return self.graph_error(9007, "Media ID is not available", 400, 2207027)
        if container is None or container["status"] != "FINISHED":
            return self.graph_error(9007, "Media ID is not available", 400, 2207027)
        with self.lock:
            media_id = str(next(self.ids))
            container["status"] = "PUBLISHED"
            self.posts[media_id] = {
                "id": media_id,
                self.text_field: container["text"],
                "permalink": self.permalink(media_id),
                "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000"),
                "media_type": container["kind"],
                "image_url": container["image_url"],
                "alt_text": container["alt_text"],
                "children": [self.containers[c]["image_url"] for c in container["children"]],
            }
            self.order.append(media_id)
        return as_json({"id": media_id})

    def permalink(self, media_id: str) -> str:
        return f"https://www.instagram.com/p/C{media_id}/"

    def seed(self, text: str, when: datetime | None = None) -> str:
        """A post already on the account (made by an earlier attempt or by hand)."""
        media_id = str(next(self.ids))
        when = when or datetime.now(UTC)
        self.posts[media_id] = {
            "id": media_id,
            self.text_field: text,
            "permalink": self.permalink(media_id),
            "timestamp": when.strftime("%Y-%m-%dT%H:%M:%S+0000"),
            "media_type": "IMAGE",
        }
        self.order.append(media_id)
        return media_id


class FakeInstagram(FakeMetaGraph):
    pass


class FakeThreads(FakeMetaGraph):
    user = "8833000000000001"
    version = "v1.0"
    text_field = "text"
    container_edge = list_edge = "threads"
    publish_edge = "threads_publish"
    max_children = 20
    text_limit = 500

    def too_long(self, text: str) -> bool:
        # Threads: 500, an emoji counting its UTF-8 bytes
        import regex

        total = sum(
            len(c.encode()) if regex.search(r"\p{Extended_Pictographic}|\p{Regional_Indicator}", c) else 1
            for c in regex.findall(r"\X", text)
        )
        return total > self.text_limit or graphemes(text) > self.text_limit

    def create_container(self, params):
        kind = params.get("media_type")
        if kind not in ("TEXT", "IMAGE", "CAROUSEL"):
            return self.graph_error(100, "The parameter media_type is required.", 400)
        if kind == "TEXT" and not params.get("text"):
            return self.graph_error(100, "The parameter text is required.", 400)
        return super().create_container(params)

    def status_body(self, container):
        body = {"id": container["id"], "status": container["status"]}
        if container["status"] == "ERROR":
            body["error_message"] = "UNKNOWN"
        return body

    def permalink(self, media_id: str) -> str:
        return f"https://www.threads.net/@humaskota/post/T{media_id}"
