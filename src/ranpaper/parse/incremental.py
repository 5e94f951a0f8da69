"""One paper read again and again as it is edited (the language server's open documents):
an edit re-reads with markdown-it only the chunk(s) of lines it touched, keeps every other
chunk's tokens, and resumes the structure builder where the first re-read chunk starts.

    reader = IncrementalParser("source/x.md", **workspace.reading())
    paper = reader.parse(text)          # the first time: a full parse
    paper = reader.parse(edited_text)   # == parse(edited_text, ...), re-reading what changed

The result is always `parse`'s (tests/parse/test_incremental.py compares the two, model and
findings, after every step of random edit sequences); `stats` says how much was re-read.

Design (decided for issue 22):

- **Chunks.** The body is cut before every ATX heading (`#`…) markdown-it read at the top
  level (level 0, no container open). Whatever opened before such a line has closed, so the
  block tokens of a chunk depend only on its own lines — except through markdown-it's `env`:
  link reference definitions (a paper with any is always parsed whole) and footnote
  definitions (a `[^x]` is a reference only if `x` is defined somewhere in the document).
- **Re-reading.** The changed lines are the ones between the texts' common first and last
  lines. The chunks from the one holding the line *before* the first change (a heading that
  changed ends the chunk above it differently) to the one holding the last change are parsed
  again, alone, with the footnote labels the other chunks define, and with the next chunk's
  heading line after them: that line must come out as a top-level ATX heading, else (an
  unclosed fence or `<!--` comment runs on, a heading became text) the next chunk is re-read
  too, up to the end of the paper. If the labels the re-read lines define change, or any
  reference definition appears, the paper is parsed whole.
- **Line numbers.** The kept chunks' token maps are shifted by the edit's change in line
  count; nothing else holds a line number until the builder walks the tokens.
- **The structure.** `StructureBuilder` keeps cross-topic state (the heading stack, level
  skips, pending waivers, comments and practice identity, the first practice of each
  identity), so it cannot be cut at a chunk: a snapshot of it is kept at every chunk start
  (`StructureBuilder.snapshot`), it is restored at the first re-read chunk and walks the new
  chunks. The model before that chunk is kept as it was built. After the new chunks, if the
  line count did not change, the builder's state is compared with the one the last walk had
  there (`StructureBuilder.splice`): if the rest of that walk would have built the same from
  it, what it built is put back as it was (the drafts re-made by the new chunks take over
  what it added to the old ones, and its later snapshots are moved); else, and whenever the
  line count changed, the builder walks on over the kept chunks' cached token trees to the
  end (no text is read again, but every later span is made anew).
- **The paper-wide passes** (`_too_deep`, `forms_not_kept`, `_lost_lines`, `_mixed_markers`,
  the ledger) run again on every call through `parse`'s own `assemble`. The front matter's
  reading (`front_of`) is kept while its lines stay and it names no profile file; a change
  of its fence, profile or working groups means a full parse. Whenever locality cannot be
  shown, the full parse is the answer: correctness comes before speed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from ranpaper.lines import split_lines
from ranpaper.model import Paper
from ranpaper.parse import _MD, Front, assemble, front_of, limits
from ranpaper.parse.frontmatter import split_front_matter
from ranpaper.parse.structure import StructureBuilder, _Snapshot
from ranpaper.parse.text import safe_lines
from ranpaper.profiles import Profile


class _Unproven(Exception):
    """The edit cannot be shown to stay local: parse the whole paper."""


@dataclass(eq=False)
class _Chunk:
    """Lines [start, end) of the body, cut before a top-level ATX heading, and what
    markdown-it read there (maps are the paper's line indexes)."""

    start: int
    end: int
    tokens: list[Token]
    deep_blocks: set[int]
    deep_inline: set[int]
    labels: frozenset[str]
    nodes: list[SyntaxTreeNode] = field(default_factory=list)
    snapshot: _Snapshot | None = None

    def __post_init__(self) -> None:
        self.nodes = SyntaxTreeNode(self.tokens).children if self.tokens else []

    def shift(self, delta: int) -> None:
        self.start += delta
        self.end += delta
        _shift(self.tokens, delta)
        self.deep_blocks = {line + delta for line in self.deep_blocks}
        self.deep_inline = {line + delta for line in self.deep_inline}


@dataclass
class Stats:
    """What the last `IncrementalParser.parse` did."""

    full: bool = True
    """The whole paper was parsed (the first call, or an edit not shown to be local)."""
    chunks: int = 0
    reread_chunks: int = 0
    """Chunks markdown-it read again (all of them on a full parse)."""
    reread_lines: int = 0
    kept_chunks: int = 0
    """Chunks whose tokens were kept."""
    resumed_at: int = 0
    """The chunk the structure builder resumed at (chunks before it: model kept as built)."""
    walked: int = 0
    """Kept chunks the builder walked again (0: what it built after the edit was kept)."""
    why: str = ""
    """Why the last call parsed the whole paper."""


@dataclass
class _State:
    front: Front
    chunks: list[_Chunk]
    builder: StructureBuilder


def _shift(tokens: list[Token] | None, delta: int) -> None:
    for token in tokens or ():
        if token.map:
            token.map = [token.map[0] + delta, token.map[1] + delta]
        if token.children:
            _shift(token.children, delta)


def _is_cut(token: Token) -> bool:
    return (
        token.type == "heading_open"
        and token.level == 0
        and token.markup.startswith("#")
        and token.map is not None
    )


def _chunks(tokens: list[Token], env: dict[str, object], start: int, end: int) -> list[_Chunk]:
    """`tokens` (maps already the paper's) of lines [start, end), cut into chunks."""
    starts = [start]
    groups: list[list[Token]] = [[]]
    for token in tokens:
        if _is_cut(token) and token.map and token.map[0] > starts[-1]:
            starts.append(token.map[0])
            groups.append([])
        groups[-1].append(token)
    blocks = env.get(limits.TOO_DEEP_BLOCKS) or set()
    inline = env.get(limits.TOO_DEEP_INLINE) or set()
    out = []
    for index, group in enumerate(groups):
        first = starts[index]
        last = starts[index + 1] if index + 1 < len(starts) else end
        out.append(
            _Chunk(
                start=first,
                end=last,
                tokens=group,
                deep_blocks={line for line in blocks if first <= line < last},  # type: ignore[attr-defined]
                deep_inline={line for line in inline if first <= line < last},  # type: ignore[attr-defined]
                labels=frozenset(
                    str(token.meta.get("label", ""))
                    for token in group
                    if token.type == "footnote_reference_open"
                ),
            )
        )
    return out


class IncrementalParser:
    """A paper's parse kept between edits (see the module's docstring). Not thread-safe: one
    caller at a time."""

    def __init__(
        self,
        path: str | None = None,
        *,
        working_groups: frozenset[str] | None = None,
        extra_working_groups: frozenset[str] = frozenset(),
        profile: Profile | None = None,
    ) -> None:
        self.path = path
        self.reading = {
            "working_groups": working_groups,
            "extra_working_groups": extra_working_groups,
            "profile": profile,
        }
        self.stats = Stats()
        self._state: _State | None = None
        self._unsafe = 0  # how many of the front's problems are unsafe text (they come first)

    def parse(self, text: str) -> Paper:
        """`parse(text, path, ...)`, re-reading only what changed since the last call."""
        state, self._state = self._state, None  # a failure below leaves no half-made state
        front = self._front(text, state)
        why = "first reading"
        if state is not None:
            why = _fits(state.front, front)
            if not why:
                try:
                    paper = self._update(state, front)
                except _Unproven as unproven:
                    why = str(unproven)
                else:
                    self._state = state
                    return paper
        return self._full(front, why)

    def _front(self, text: str, state: _State | None) -> Front:
        """`read_front(text)`; the front matter's reading is kept while its lines stay (and
        it names no profile: that file may change, and its error points into the body)."""
        lines, problems = safe_lines(split_lines(text))
        old = state.front if state is not None else None
        if (
            old is not None
            and old.fence is not None
            and old.fence[1] >= 0
            and old.metadata.profile is None
            and split_front_matter(lines) == old.fence
            and lines[: old.fence[1] + 1] == old.lines[: old.fence[1] + 1]
        ):
            last, unsafe, self._unsafe = old.fence[1], self._unsafe, len(problems)
            return replace(
                old,
                lines=lines,
                body_lines=[""] * (last + 1) + lines[last + 1 :],
                problems=problems + old.problems[unsafe:],
            )
        self._unsafe = len(problems)
        return front_of(lines, problems, self.path, **self.reading)  # type: ignore[arg-type]

    # --- the whole paper --------------------------------------------------------------------

    def _full(self, front: Front, why: str) -> Paper:
        env: dict[str, object] = {}
        tokens = _MD.parse("\n".join(front.body_lines), env)
        chunks = _chunks(tokens, env, 0, len(front.body_lines))
        builder = StructureBuilder(front.lines, front.groups, front.profile)
        _walk(builder, chunks, 0)
        paper = assemble(front, self.path, tokens, env, builder)
        if not env.get("references"):
            self._state = _State(front, chunks, builder)
        self.stats = Stats(
            full=True,
            chunks=len(chunks),
            reread_chunks=len(chunks),
            reread_lines=len(front.body_lines),
            why=why if not env.get("references") else "the paper has link reference definitions",
        )
        return paper

    # --- an edit ----------------------------------------------------------------------------

    def _update(self, state: _State, front: Front) -> Paper:
        old, new = state.front.body_lines, front.body_lines
        chunks = state.chunks
        same = min(len(old), len(new))
        first = 0
        while first < same and old[first] == new[first]:
            first += 1
        tail = 0
        while tail < same - first and old[-1 - tail] == new[-1 - tail]:
            tail += 1
        delta = len(new) - len(old)
        if first == len(old) == len(new):
            a = len(chunks)  # the body did not change: the front matter did
            paper = assemble(front, self.path, _tokens(chunks), _env(chunks), state.builder)
            state.front = front
            self.stats = Stats(
                full=False, chunks=len(chunks), kept_chunks=len(chunks), resumed_at=a
            )
            return paper
        starts = [chunk.start for chunk in chunks]
        a = _index(starts, max(first - 1, 0))
        b = max(a, _index(starts, len(old) - tail - 1))
        while True:
            begin, end = chunks[a].start, chunks[b].end + delta
            more = b + 1 < len(chunks)
            outside = frozenset().union(*(c.labels for c in chunks[:a] + chunks[b + 1 :]))
            env: dict[str, object] = {}
            if outside:
                env["footnotes"] = {"refs": {":" + label: -1 for label in outside}, "list": {}}
            region = new[begin:end] + ([new[end]] if more else [])
            tokens = _MD.parse("\n".join(region), env)
            if env.get("references"):
                raise _Unproven("a link reference definition was written")
            if more:
                cut = end - begin
                if (
                    len(tokens) < 3
                    or not _is_cut(tokens[-3])
                    or tokens[-3].map != [cut, cut + 1]
                    or tokens[-1].type != "heading_close"
                ):
                    b += 1  # the edit runs on into the next chunk: read it too
                    continue
                del tokens[-3:]
                for key in (limits.TOO_DEEP_BLOCKS, limits.TOO_DEEP_INLINE):
                    lines = env.get(key)
                    if isinstance(lines, set):
                        lines.discard(cut)
            break
        _shift(tokens, begin)
        for key in (limits.TOO_DEEP_BLOCKS, limits.TOO_DEEP_INLINE):
            lines = env.get(key)
            if isinstance(lines, set):
                env[key] = {line + begin for line in lines}
        fresh = _chunks(tokens, env, begin, end)
        defined = frozenset().union(*(c.labels for c in fresh)) - outside
        before = frozenset().union(*(c.labels for c in chunks[a : b + 1])) - outside
        if defined != before:
            raise _Unproven("the footnote labels defined changed")
        kept = chunks[b + 1 :]
        if delta:
            for chunk in kept:
                chunk.shift(delta)
        snapshot = chunks[a].snapshot
        assert snapshot is not None
        builder = state.builder
        # With the lines where they were, what the last walk built after the re-read chunks
        # is kept if the builder reaches their end in a state from which it would build the
        # same (`StructureBuilder.splice`); else it walks on over the kept chunks' tokens.
        rest = builder.tail(kept[0].snapshot) if kept and not delta and kept[0].snapshot else None
        chunks[a:] = fresh + kept
        builder.restore(snapshot)
        builder.lines = front.lines
        walked = len(kept)
        if rest is not None:
            _walk(builder, fresh, 0, flush=False)
            moved = builder.splice(rest, [c.snapshot for c in kept[1:]])  # type: ignore[misc]
            if moved is not None:
                walked = 0
                for chunk, kept_snapshot in zip(kept, moved, strict=True):
                    chunk.snapshot = kept_snapshot
            else:
                _walk(builder, chunks, a + len(fresh))
        else:
            _walk(builder, chunks, a)
        paper = assemble(front, self.path, _tokens(chunks), _env(chunks), builder)
        state.front = front
        self.stats = Stats(
            full=False,
            chunks=len(chunks),
            reread_chunks=len(fresh),
            reread_lines=end - begin,
            kept_chunks=len(chunks) - len(fresh),
            resumed_at=a,
            walked=walked,
        )
        return paper


def _fits(old: Front, new: Front) -> str:
    """Why the body cannot be re-read in part ('' if it can): the front matter's fence, the
    profile or the working groups changed."""
    if old.fence != new.fence:
        return "the front matter's lines changed"
    if old.profile is not new.profile and old.profile != new.profile:
        return "the profile changed"
    if old.groups != new.groups:
        return "the working groups changed"
    return ""


def _index(starts: list[int], line: int) -> int:
    """The chunk holding `line`."""
    import bisect

    return max(bisect.bisect_right(starts, line) - 1, 0)


def _walk(builder: StructureBuilder, chunks: list[_Chunk], first: int, flush: bool = True) -> None:
    """Walk the chunks from `first` on, keeping the builder's state at each chunk's start;
    `flush`: the last chunk is the paper's last (a waiver at its end has no block after it)."""
    for chunk in chunks[first:]:
        chunk.snapshot = builder.snapshot()
        for node in chunk.nodes:
            builder.block(node)
    if flush:
        builder.flush_waivers(None)


def _tokens(chunks: list[_Chunk]) -> list[Token]:
    return [token for chunk in chunks for token in chunk.tokens]


def _env(chunks: list[_Chunk]) -> dict[str, object]:
    return {
        limits.TOO_DEEP_BLOCKS: set().union(*(c.deep_blocks for c in chunks)),
        limits.TOO_DEEP_INLINE: set().union(*(c.deep_inline for c in chunks)),
    }
