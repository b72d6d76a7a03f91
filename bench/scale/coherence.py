"""The two-node coherence checker: mixed edits and reads, every read compared
with the database's truth.

The editor (this process, node A's configuration) retitles, unpublishes and
republishes the newest public items through the real services, recording
for each change when it started and when it returned.  Reader threads
meanwhile fetch those items' pages, the home page and the RSS feed from
node A, node B and nginx.  A read that started at ``t0`` and ended at ``t1``
is *stale* when it shows a state of an item that had already been replaced
before ``t0 - bound``: an old title, an item unpublished by then, or the
item missing when its last ``bound`` seconds were all published.
"""

from __future__ import annotations

import random
import re
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from bench.common import fetch

HOT = 10  # the newest items: on the home page and in the feed
READERS = 6


@dataclass
class State:
    title: str
    public: bool
    start: float  # the change began (it may be visible from here)
    end: float = float("inf")  # the next change returned (it may be visible until here)


@dataclass
class Item:
    post_id: int
    path: str
    slug: str
    states: list[State] = field(default_factory=list)

    def acceptable(self, t0: float, t1: float, bound: float) -> list[State]:
        return [s for s in self.states if s.start <= t1 and s.end >= t0 - bound]

    def titles_gone(self, t0: float, bound: float) -> list[str]:
        return [s.title for s in self.states if s.end < t0 - bound]


def _slug_in(slug: str, body: str) -> bool:
    return re.search(re.escape(slug) + r'(?=["<#?/\s])', body) is not None


def shows_title(title: str, body: str) -> bool:
    """``title`` as a whole title, not the start of a longer one: from the
    hundredth edit on, "Koherensi 995 r11" is the start of "Koherensi 995
    r112", and a plain ``in`` counted every such page as stale."""
    return re.search(re.escape(title) + r"(?!\w)", body) is not None


def judge(item: Item, kind: str, status: int, body: str, t0: float, t1: float, bound: float) -> str | None:
    """Why this read is stale for ``item`` (None: consistent with the database)."""
    ok = item.acceptable(t0, t1, bound)
    gone = [t for t in item.titles_gone(t0, bound) if t not in {s.title for s in ok}]
    if kind == "item":
        if status == 200 and any(s.public and shows_title(s.title, body) for s in ok):
            return None
        if status in (404, 410) and any(not s.public for s in ok):
            return None
        return f"item answered {status}; expected one of {[(s.title, s.public) for s in ok]}"
    if status != 200:
        return f"{kind} answered {status}"
    shown = next((t for t in gone if shows_title(t, body)), None)
    if shown:
        return f"{kind} still shows the old title {shown!r}"
    if all(not s.public for s in ok) and _slug_in(item.slug, body):
        return f"{kind} still lists the unpublished item {item.slug}"
    if (
        kind == "rss"
        and all(s.public for s in ok)
        and len({s.title for s in ok}) == 1
        and not shows_title(ok[0].title, body)
    ):
        return f"rss lacks the public item {ok[0].title!r}"
    return None


# nginx keeps a page longer: its micro-cache (deploy/nginx/warta.conf, "1s")
# counts whole seconds, so an entry lives up to two (never served expired).
MICRO_CACHE = 2.0


def _kinds(stale: list[dict]) -> dict[str, int]:
    """Stale reads counted by server, page type and reason."""
    counts: dict[str, int] = {}
    for row in stale:
        page = "item" if row["why"].startswith("item") else row["path"]
        key = f"{row['server']} {page}: {' '.join(row['why'].split()[1:3]) if page != 'item' else 'wrong state'}"
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def run(topology: dict, operations: int, bound: float, log=print, seed: int = 24) -> dict:
    """``operations`` in all: a tenth are edits, the rest reads (both nodes and
    nginx); a node may lag the database by ``bound`` seconds, nginx by one more."""

    from cms.accounts import find_user
    from cms.extensions import db
    from cms.models import Post
    from cms.newsroom import drafts, posts, publishing

    editor = find_user("bench-admin@warta.test")
    rng = random.Random(seed)
    hot = db.session.scalars(publishing.public_posts().limit(HOT)).all()
    items: dict[int, Item] = {}
    for post in hot:  # titles the checker can find verbatim in HTML and XML
        title, seeded = f"Koherensi {post.id} r0", post.title
        started = time.time()
        data = posts.data_from_snapshot(posts.snapshot(post), post)
        data.title = title
        drafts.save_post(post, editor, data, post.version)
        # The seeded title too: a read in the first second may still show it.
        states = [State(seeded, True, 0.0, time.time()), State(title, True, started)]
        items[post.id] = Item(post.id, publishing.public_path(post), post.slug, states)
    bases = {"A": topology["nodes"]["A"].url, "B": topology["nodes"]["B"].url, "nginx": topology["nginx"].url}
    edits = max(1, operations // 10)
    reads = operations - edits
    lock = threading.Lock()
    done_edits = threading.Event()
    results: list[tuple] = []

    def reader(quota: int, rseed: int):
        r = random.Random(rseed)
        for _ in range(quota):
            server = r.choice(list(bases))
            roll = r.random()
            item = items[r.choice(list(items))]
            kind, path = (
                ("item", item.path) if roll < 0.5 else ("rss", "/feeds/rss.xml") if roll < 0.75 else ("home", "/")
            )
            t0 = time.time()
            status, _, body = fetch(bases[server] + path, timeout=30)
            t1 = time.time()
            with lock:
                results.append((server, kind, path, item.post_id, status, body.decode("utf-8", "replace"), t0, t1))

    def change(item: Item, number: int) -> None:
        post = db.session.get(Post, item.post_id)
        last = item.states[-1]
        started = time.time()
        if last.public and rng.random() < 0.3:
            publishing.unpublish(post, editor)
            new = State(last.title, False, started)
        elif not last.public:
            publishing.publish_now(post, editor)
            new = State(last.title, True, started)
        else:
            title = f"Koherensi {post.id} r{number}"
            data = posts.data_from_snapshot(posts.snapshot(post), post)
            data.title = title
            drafts.save_post(post, editor, data, post.version)
            new = State(title, True, started)
        last.end = time.time()
        item.states.append(new)
        db.session.expire_all()

    started = time.time()
    with ThreadPoolExecutor(READERS) as pool:
        futures = [pool.submit(reader, reads // READERS + (k < reads % READERS), seed + k) for k in range(READERS)]
        for number in range(1, edits + 1):
            change(items[rng.choice(list(items))], number)
        done_edits.set()
        for future in futures:
            future.result()
    elapsed = time.time() - started
    # Every item is judged in every feed/home read; item reads only for their item.
    stale, by_server = [], {s: {"reads": 0, "stale": 0} for s in bases}
    for server, kind, path, post_id, status, body, t0, t1 in results:
        judged = [items[post_id]] if kind == "item" else list(items.values())
        allowed = bound + (MICRO_CACHE if server == "nginx" else 0.0)
        why = next((w for w in (judge(i, kind, status, body, t0, t1, allowed) for i in judged) if w), None)
        by_server[server]["reads"] += 1
        if why:
            by_server[server]["stale"] += 1
            last_change = max((st.start for i in judged for st in i.states if st.start <= t0), default=started)
            stale.append(
                {
                    "server": server,
                    "path": path,
                    "why": why,
                    "t0": round(t0 - started, 3),
                    "since_last_change_s": round(t0 - last_change, 3),
                }
            )
    latencies = sorted(t1 - t0 for *_, t0, t1 in results)
    summary = {
        "operations": edits + len(results),
        "edits": edits,
        "reads": len(results),
        "seconds": round(elapsed, 1),
        "bound_s": {"nodes": bound, "nginx": bound + MICRO_CACHE},
        "read_p50_ms": round(statistics.median(latencies) * 1000, 1),
        "read_p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 1),
        "by_server": by_server,
        "stale": len(stale),
        "stale_kinds": _kinds(stale),
        "stale_reads": stale[:50] + [r for r in stale[50:] if r["server"] != "nginx"][:50],
    }
    log(f"  {summary['operations']:,} operations in {elapsed:.0f} s: {len(stale)} stale reads {by_server}")
    for row in stale[:10]:
        log(f"    stale: {row}")
    return summary
