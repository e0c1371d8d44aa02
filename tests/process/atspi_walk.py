"""Walk Intake through the real Linux accessibility bus (AT-SPI), as a screen reader sees it.

Run by `test_atspi_bus.py` with the SYSTEM python (Debian's python3-pyatspi), inside a D-Bus
session on an X server: `python3 atspi_walk.py CONFIG.json`. It starts the worker's demo and
the administrator's window itself, each with QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 on xcb, then:

- every screen (the interview list, Settings, every section of the editor, the centre's unlock
  page and each of its tabs): each actionable object named, each field labelled (a combo box
  by a label: Qt names it by its current text), counted per screen;
- the editor: every required question says so (AT-SPI's STATE_REQUIRED where Qt sets it; Qt
  6.11 cannot, so the nearest thing: the translated "Required" in the control's description);
  reviewing with problems left announces them at once, keeps Finish from being pressed, and
  the first problem leads to its question, whose control starts its description with the
  problem (STATE_INVALID_ENTRY: same caveat);
- real Tab presses (xdotool): from the interview table Tab leaves the table and reaches Sync
  now (Ctrl+R), Shift+Tab leaves it too; the editor's and the centre's Tab rings are printed.

Standalone on purpose: the system python has none of the application's packages. Prints the
counts and the Tab orders, writes a JSON report, exits 1 when a check failed. Every wait has a
deadline: nothing here may hang CI.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyatspi  # type: ignore[import-not-found]
from gi.repository import GLib  # type: ignore[import-not-found]

# What a person acts on (the list: buttons, boxes, fields, menu items, tabs).
ACTIONABLE = {
    "push button",
    "toggle button",
    "check box",
    "radio button",
    "combo box",
    "text",
    "password text",
    "entry",
    "spin button",
    "menu item",
    "check menu item",
    "radio menu item",
    "page tab",
    "slider",
    "link",
}
# What a person types or picks a value in: needs a label (or a name saying its purpose).
FIELDS = {"text", "password text", "entry", "spin button", "combo box"}
# What an answer is given with (a question's other buttons only help: clear, a calendar).
ANSWERING = FIELDS | {"check box", "radio button", "toggle button", "slider"}
# Their children are items, cells or a popup's entries, not controls of their own.
NOT_ENTERED = {"table", "tree table", "tree", "list", "menu", "combo box", "page tab list"}
KEY_TIMEOUT = 10


class Failed(Exception):
    """A check that did not hold (the walk goes on with the next step)."""


def pump(seconds: float) -> None:
    """Let AT-SPI events arrive for `seconds`."""
    context = GLib.MainContext.default()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        while context.pending():
            context.iteration(False)
        time.sleep(0.02)


def wait_for(check: Callable[[], Any], timeout: float, what: str) -> Any:
    """Pump events until `check()` is truthy; returns its value, or fails after `timeout`."""
    end = time.monotonic() + timeout
    while True:
        try:
            value = check()
        except Exception:  # an object went away while we looked: look again
            value = None
        if value:
            return value
        if time.monotonic() > end:
            raise Failed(f"timed out after {timeout:.0f} s waiting for {what}")
        pump(0.1)


def key(*keys: str) -> None:
    subprocess.run(["xdotool", "key", "--delay", "60", *keys], check=True, timeout=KEY_TIMEOUT)


def type_text(text: str) -> None:
    subprocess.run(["xdotool", "type", "--delay", "20", text], check=True, timeout=60)


def focus_window(pid: int) -> None:
    """Give the process's visible window the X input focus (there is no window manager)."""
    found = subprocess.run(
        ["xdotool", "search", "--sync", "--onlyvisible", "--pid", str(pid)],
        check=True,
        timeout=30,
        capture_output=True,
        text=True,
    )
    window = found.stdout.split()[0]
    subprocess.run(["xdotool", "windowfocus", "--sync", window], check=True, timeout=KEY_TIMEOUT)


# -- looking at objects ---------------------------------------------------------------------


def role(obj: Any) -> str:
    return str(obj.getRoleName())


def showing(obj: Any) -> bool:
    return bool(obj.getState().contains(pyatspi.STATE_SHOWING))


def has_state(obj: Any, state: Any) -> bool:
    return bool(obj.getState().contains(state))


def children(obj: Any) -> Iterator[Any]:
    for index in range(obj.childCount):
        child = obj.getChildAtIndex(index)
        if child is not None:
            yield child


def shown_objects(root: Any) -> Iterator[Any]:
    """`root` and every showing object under it (not inside tables, lists, menus, combos)."""
    yield root
    if role(root) in NOT_ENTERED:
        return
    for child in children(root):
        if showing(child):
            yield from shown_objects(child)


def find(root: Any, check: Callable[[Any], bool]) -> Any:
    return next((obj for obj in shown_objects(root) if check(obj)), None)


def related(obj: Any, relation: Any) -> list[Any]:
    targets = []
    for rel in obj.getRelationSet():
        if rel.getRelationType() == relation:
            targets.extend(rel.getTarget(i) for i in range(rel.getNTargets()))
    return targets


def describe(obj: Any) -> str:
    if obj is None:
        return "(nothing)"
    return f"{role(obj)} {obj.name!r}"


def where(obj: Any) -> str:
    """The object with the names of its named ancestors, for a failure message."""
    names = []
    parent = obj.parent
    while parent is not None and role(parent) not in ("application", "frame", "dialog"):
        if parent.name:
            names.append(parent.name)
        parent = parent.parent
    inside = f" in {' / '.join(reversed(names))}" if names else ""
    return f"{describe(obj)} (description {obj.description!r}){inside}"


def description_lines(obj: Any) -> list[str]:
    return [line.strip() for line in (obj.description or "").split("\n")]


def do_action(obj: Any, *names: str) -> None:
    """Do the first of the named actions the object offers (else its first one)."""
    action = obj.queryAction()
    offered = [action.getName(i) for i in range(action.nActions)]
    for name in names:
        if name in offered:
            action.doAction(offered.index(name))
            return
    action.doAction(0)


# -- the walk -------------------------------------------------------------------------------


class Walk:
    """The state of one run: events seen, counts per screen, Tab orders, failures."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.texts: dict[str, Any] = config["texts"]
        self.screens: list[dict[str, Any]] = []
        self.tab_orders: dict[str, list[str]] = {}
        self.failures: list[str] = []
        self.notes: list[str] = []
        self.focused: Any = None
        self.focus_changes = 0
        self.announcements: list[tuple[str, int]] = []
        self.processes: list[subprocess.Popen[bytes]] = []
        pyatspi.Registry.registerEventListener(self._on_focus, "object:state-changed:focused")
        pyatspi.Registry.registerEventListener(self._on_announcement, "object:announcement")

    def _on_focus(self, event: Any) -> None:
        if event.detail1:
            self.focused = event.source
            self.focus_changes += 1

    def _on_announcement(self, event: Any) -> None:
        self.announcements.append((str(event.any_data), int(event.detail1)))

    def fail(self, message: str) -> None:
        self.failures.append(message)
        print(f"FAIL {message}", flush=True)

    def check(self, condition: bool, message: str) -> None:
        if not condition:
            self.fail(message)

    def step(self, name: str, run: Callable[[], None]) -> None:
        """Run one part of the walk; a failure there is recorded and the walk goes on."""
        print(f"== {name}", flush=True)
        try:
            run()
        except Failed as failure:
            self.fail(f"{name}: {failure}")
        except Exception as error:  # a broken step must not hide the others' results
            self.fail(f"{name}: {type(error).__name__}: {error}")

    # -- processes --

    def start(self, command: list[str], log_name: str) -> subprocess.Popen[bytes]:
        env = dict(os.environ, **self.config["app_env"])
        log = Path(self.config["work"]) / log_name
        with log.open("wb") as out:
            process = subprocess.Popen(
                command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=self.config["cwd"]
            )
        self.processes.append(process)
        return process

    def application(self, pid: int) -> Any:
        def found() -> Any:
            desktop = pyatspi.Registry.getDesktop(0)
            return next((app for app in children(desktop) if app.get_process_id() == pid), None)

        return wait_for(found, 60, "the application on the accessibility bus")

    def stop(self, process: subprocess.Popen[bytes]) -> None:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)

    # -- focus and keys --

    def focus_now(self, app: Any) -> Any:
        """The object that has the keyboard focus, looked up (not from events)."""
        for top in children(app):
            if not showing(top) or not has_state(top, pyatspi.STATE_ACTIVE):
                continue
            found = find(
                top, lambda o, top=top: o is not top and has_state(o, pyatspi.STATE_FOCUSED)
            )
            # A group whose focus proxy has the focus is "focused" too: take the innermost.
            while found is not None:
                inner = find(
                    found,
                    lambda o, outer=found: o is not outer and has_state(o, pyatspi.STATE_FOCUSED),
                )
                if inner is None:
                    return found
                found = inner
        return None

    def press(self, app: Any, *keys: str) -> Any:
        """Press keys, then return the focused object once the focus has settled."""
        before = self.focus_changes
        key(*keys)
        # The focus may stay where it was (or move without an event): looked up below.
        with contextlib.suppress(Failed):
            wait_for(lambda: self.focus_changes > before, 3, "the focus to move")
        pump(0.15)
        return self.focus_now(app) or self.focused

    def tab_ring(self, app: Any, name: str, limit: int, stop: Callable[[Any], bool]) -> list[Any]:
        """Press Tab until `stop(focused)` (or `limit` presses); records and returns the stops."""
        stops = []
        for _ in range(limit):
            focused = self.press(app, "Tab")
            stops.append(focused)
            if focused is not None and stop(focused):
                break
        self.tab_orders[name] = [describe(obj) for obj in stops]
        return stops

    # -- screens --

    def audit(self, screen: str, root: Any) -> list[Any]:
        """Count a screen's actionable objects; each must be named, each field labelled."""
        objects = list(shown_objects(root))
        actionable = [obj for obj in objects if role(obj) in ACTIONABLE]
        unnamed = []
        unlabelled = []
        for obj in actionable:
            labels = related(obj, pyatspi.RELATION_LABELLED_BY)
            if role(obj) == "combo box":
                # Qt names a combo box by its current text: its purpose needs a label.
                if not labels:
                    unlabelled.append(obj)
                continue
            if not (obj.name or "").strip() and not labels:
                unnamed.append(obj)
            elif role(obj) in FIELDS and not labels and not (obj.name or "").strip():
                unlabelled.append(obj)
        self.screens.append(
            {
                "screen": screen,
                "actionable": len(actionable),
                "unnamed": [where(o) for o in unnamed],
                "unlabelled": [where(o) for o in unlabelled],
            }
        )
        print(
            f"   {screen}: {len(actionable)} actionable, {len(unnamed)} unnamed, "
            f"{len(unlabelled)} unlabelled",
            flush=True,
        )
        for obj in unnamed:
            self.fail(f"{screen}: unnamed {where(obj)}")
        for obj in unlabelled:
            self.fail(f"{screen}: unlabelled {where(obj)}")
        return objects

    def required_questions(self, screen: str, objects: list[Any]) -> dict[str, int]:
        """Every control of a required question says so; no other control does."""
        prefix, suffix = self.texts["required_label"]
        word = self.texts["required"]
        counts = {"required": 0, "state_required": 0, "other": 0}
        for label in objects:
            if role(label) != "label":
                continue
            targets = related(label, pyatspi.RELATION_LABEL_FOR)
            if not targets:
                continue
            text = (label.name or "").strip()
            required = text.startswith(prefix) and text.endswith(suffix) and text != prefix
            for target in targets:
                # What takes the answer; not helpers beside it (clear, pick from a calendar).
                controls = (
                    [target]
                    if role(target) in ANSWERING
                    else [
                        obj
                        for obj in shown_objects(target)
                        if obj is not target and role(obj) in ANSWERING
                    ]
                )
                for control in controls:
                    told = word in description_lines(control)
                    if required:
                        counts["required"] += 1
                        if has_state(control, pyatspi.STATE_REQUIRED):
                            counts["state_required"] += 1
                        self.check(
                            told,
                            f"{screen}: a required question's control does not "
                            f"say {word!r}: {where(control)}",
                        )
                    else:
                        counts["other"] += 1
                        self.check(
                            not told,
                            f"{screen}: {where(control)} says {word!r} but "
                            f"its question is not required ({text!r})",
                        )
        return counts


def walk_worker(walk: Walk) -> None:
    config = walk.config
    process = walk.start(config["worker_command"], "worker.log")
    app = walk.application(process.pid)
    frame = wait_for(lambda: find(app, lambda o: role(o) == "frame"), 30, "the window")
    wait_for(
        lambda: find(frame, lambda o: role(o) == "table" and o.childCount > 20),
        120,
        "the interview list with the demo's interviews",
    )
    focus_window(process.pid)

    def in_table(obj: Any) -> bool:
        return obj is not None and (
            role(obj) in ("table", "table cell")
            or (obj.parent is not None and role(obj.parent) == "table")
        )

    wait_for(lambda: in_table(walk.focus_now(app)), 15, "the focus in the interview table")

    walk.step("the interview list", lambda: walk.audit("interview list", frame))

    def tab_walk() -> None:
        stops = walk.tab_ring(app, "interview list (Tab from the table)", 40, in_table)
        walk.check(bool(stops) and not in_table(stops[0]), "Tab does not leave the table")
        sync = [
            s
            for s in stops
            if s is not None and role(s) == "push button" and "Ctrl+R" in (s.description or "")
        ]
        walk.check(bool(sync), "Tab never reaches Sync now (the button whose tooltip says Ctrl+R)")
        walk.check(
            bool(stops) and in_table(stops[-1]),
            "Tab does not come back round to the table within 40 presses",
        )
        back = walk.press(app, "shift+Tab")
        walk.check(not in_table(back), "Shift+Tab does not leave the table")
        walk.press(app, "Tab")  # back into the table

    walk.step("Tab through the interview list", tab_walk)

    def settings() -> None:
        key("ctrl+comma")
        dialog = wait_for(
            lambda: find(app, lambda o: role(o) == "dialog" and showing(o)), 15, "Settings"
        )
        pump(0.5)
        walk.audit("Settings", dialog)
        key("Escape")
        wait_for(
            lambda: find(app, lambda o: role(o) == "dialog") is None,
            10,
            "Settings to close on Escape",
        )
        focus_window(process.pid)  # no window manager gives the window its focus back
        pump(0.5)

    walk.step("Settings", settings)
    walk.step("the editor", lambda: walk_editor(walk, app, frame))
    focus_window(process.pid)
    key("ctrl+q")
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        walk.fail("Ctrl+Q did not close the worker's window within 20 s")
    walk.stop(process)


def current_section(nav: Any) -> str:
    selection = nav.querySelection()
    if selection.nSelectedChildren < 1:
        return ""
    return str(selection.getSelectedChild(0).name)


def walk_editor(walk: Walk, app: Any, frame: Any) -> None:
    texts = walk.texts
    key("ctrl+n")
    nav = wait_for(
        lambda: find(frame, lambda o: role(o) == "list" and o.name == texts["sections"]),
        20,
        "the editor's section list",
    )
    pump(1.0)
    start = walk.focus_now(app)
    walk.tab_orders["editor, first section: where it starts"] = [describe(start)]
    stops = walk.tab_ring(
        app,
        "editor, first section (Tab from the first question)",
        120,
        lambda focused: focused == start,
    )
    walk.check(
        bool(stops) and stops[-1] == start,
        "Tab does not come back round in the editor's first section within 120 presses",
    )
    # Round the whole screen: the action row, the section list, the toolbar (not the page only).
    for what, check in (
        ("the section list", lambda o: role(o) == "list" and o.name == texts["sections"]),
        ("Review and finish", lambda o: role(o) == "push button" and o.name == texts["review"]),
        ("Sync now", lambda o: role(o) == "push button" and "Ctrl+R" in (o.description or "")),
    ):
        walk.check(
            any(s is not None and check(s) for s in stops),
            f"Tab in the editor never reaches {what}",
        )

    def required_groups() -> list[Any]:
        prefix, suffix = texts["required_label"]
        groups = []
        for label in shown_objects(frame):
            name = (label.name or "").strip()
            if role(label) == "label" and name.startswith(prefix) and name.endswith(suffix):
                groups += [
                    t
                    for t in related(label, pyatspi.RELATION_LABEL_FOR)
                    if find(t, lambda o: role(o) == "radio button") is not None
                ]
        return groups

    seen: dict[str, dict[str, int]] = {}

    def audit_section() -> None:
        section = current_section(nav)
        objects = walk.audit(f"editor: {section}", frame)
        seen[section] = walk.required_questions(f"editor: {section}", objects)

    walk.step("editor: first section", audit_section)
    # Consent to the interview and to recording (their first choice: yes): every section opens.
    for group in required_groups()[:2]:
        first = find(group, lambda o: role(o) == "radio button")
        do_action(first, "Toggle", "Press")
        pump(0.5)
    for _ in range(30):
        before = current_section(nav)
        walk.press(app, "ctrl+Next")
        try:
            wait_for(lambda before=before: current_section(nav) != before, 3, "the next section")
        except Failed:
            break  # the last section
        pump(0.3)
        walk.step(f"editor: {current_section(nav)}", audit_section)
    required = sum(counts["required"] for counts in seen.values())
    with_state = sum(counts["state_required"] for counts in seen.values())
    walk.notes.append(
        f"editor: {len(seen)} sections, {required} controls of required questions, "
        f"{with_state} with STATE_REQUIRED (Qt 6.11 never sets it: it has no such state)"
    )
    walk.check(
        len(seen) >= texts["min_sections"],
        f"Ctrl+PgDn went through {len(seen)} sections, expected {texts['min_sections']}",
    )
    walk.check(
        required >= texts["min_required"], f"only {required} controls of required questions found"
    )
    walk.step("editor: review with problems left", lambda: finish_with_problems(walk, app, frame))


def finish_with_problems(walk: Walk, app: Any, frame: Any) -> None:
    """Review and finish with problems left: they are announced, Finish waits, and the first
    problem leads to its question, whose control starts its description with the problem."""
    texts = walk.texts
    review = find(frame, lambda o: role(o) == "push button" and o.name == texts["review"])
    if review is None:
        raise Failed(f"no button named {texts['review']!r}")
    heard = len(walk.announcements)
    do_action(review, "Press")
    wait_for(lambda: len(walk.announcements) > heard, 5, "an announcement of the problems")
    answers = wait_for(
        lambda: find(
            frame, lambda o: o.name == texts["answers"] and has_state(o, pyatspi.STATE_FOCUSED)
        ),
        5,
        "the keyboard on the answers and problems",
    )
    pump(0.5)
    said = walk.announcements[heard:]
    walk.notes.append(
        "Review with problems announced: "
        + "; ".join(
            f"{text!r} ({ {1: 'polite', 2: 'assertive'}.get(politeness, politeness) })"
            for text, politeness in said
        )
    )
    walk.check(
        any(politeness == 2 for _t, politeness in said),
        "the problems were not announced at once (assertive)",
    )
    finish = find(frame, lambda o: role(o) == "push button" and o.name == texts["finish"])
    walk.check(
        finish is not None and not has_state(finish, pyatspi.STATE_ENABLED),
        f"Finish is offered although problems are left: {describe(finish)}",
    )
    content = answers.queryText()
    shown = str(content.getText(0, content.characterCount))
    before = walk.focus_changes
    key("Tab")  # to the first link: the problems come first
    pump(0.5)
    key("Return")
    wait_for(lambda: walk.focus_changes > before, 5, "the first problem's question")
    pump(0.5)
    focused = walk.focus_now(app)
    first_line = description_lines(focused)[0] if focused is not None else ""
    walk.check(
        focused is not None
        and role(focused) in ACTIONABLE
        and bool(first_line)
        and first_line in shown,
        f"the first problem leads to {where(focused) if focused else 'nothing'}, not to a "
        "control whose description starts with its problem",
    )
    invalid = focused is not None and has_state(focused, pyatspi.STATE_INVALID_ENTRY)
    walk.notes.append(
        f"first bad field {describe(focused)}: STATE_INVALID_ENTRY "
        f"{'set' if invalid else 'not set (Qt 6.11 has no such state)'}"
    )


def walk_admin(walk: Walk) -> None:
    config = walk.config
    texts = walk.texts
    process = walk.start(config["admin_command"], "admin.log")
    app = walk.application(process.pid)
    frame = wait_for(lambda: find(app, lambda o: role(o) == "frame"), 30, "the window")
    field = wait_for(
        lambda: find(frame, lambda o: role(o) == "password text"),
        30,
        "the centre's passphrase field",
    )
    focus_window(process.pid)
    pump(0.5)
    walk.step("centre: unlock page", lambda: walk.audit("centre: unlock page", frame))
    first = walk.focus_now(app)
    walk.check(
        first == field,
        f"the centre's window opens with the focus on {describe(first)}, "
        "not on the passphrase field",
    )
    if first != field:
        field.queryComponent().grabFocus()
        pump(0.3)
    type_text(config["centre_passphrase"])
    key("Return")
    tabs = wait_for(
        lambda: find(frame, lambda o: role(o) == "page tab list"),
        60,
        "the centre's tabs after unlocking",
    )
    pump(1.0)
    walk.step("centre: Tab through the window", lambda: admin_tab_ring(walk, app))
    pages = [tab for tab in children(tabs) if role(tab) == "page tab"]
    for index, tab in enumerate(pages):

        def visit(index: int = index, tab: Any = tab) -> None:
            tabs.querySelection().selectChild(index)
            wait_for(lambda: has_state(tab, pyatspi.STATE_SELECTED), 5, f"tab {tab.name!r}")
            pump(0.5)
            walk.audit(f"centre: {tab.name}", frame)

        walk.step(f"centre: tab {index + 1}", visit)
    walk.check(len(pages) >= texts["min_centre_tabs"], f"only {len(pages)} tabs in the centre")
    walk.stop(process)


def admin_tab_ring(walk: Walk, app: Any) -> None:
    start = walk.focus_now(app)
    walk.tab_orders["centre: where the focus is after unlocking"] = [describe(start)]
    stops = walk.tab_ring(
        app,
        "centre (Tab from where the focus is after unlocking)",
        60,
        lambda focused: focused == start,
    )
    walk.check(
        bool(stops) and stops[-1] == start,
        "Tab does not come back round in the centre's window within 60 presses",
    )
    for first, second in itertools.pairwise(stops):
        if (
            first is not None
            and second is not None
            and role(first) == "table cell"
            and (role(second) == "table cell")
        ):
            walk.fail(f"centre: Tab moves cell by cell ({describe(first)} → {describe(second)})")
            break


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("config", type=Path)
    config = json.loads(parser.parse_args().config.read_text(encoding="utf-8"))
    walk = Walk(config)
    try:
        for name, part in (("worker", walk_worker), ("centre", walk_admin)):
            if name in config["parts"]:
                walk.step(f"the {name}'s window", lambda part=part: part(walk))
    finally:
        for process in walk.processes:
            walk.stop(process)
    print(f"\nscreens ({config['texts']['lang']}): actionable, unnamed, unlabelled")
    for screen in walk.screens:
        print(
            f"  {screen['screen']}: {screen['actionable']}, {len(screen['unnamed'])}, "
            f"{len(screen['unlabelled'])}"
        )
    for name, order in walk.tab_orders.items():
        print(f"Tab order, {name}:")
        for number, stop in enumerate(order, 1):
            print(f"  {number}. {stop}")
    for note in walk.notes:
        print(f"note: {note}")
    report = {
        "screens": walk.screens,
        "tab_orders": walk.tab_orders,
        "notes": walk.notes,
        "failures": walk.failures,
    }
    Path(config["report"]).write_text(
        json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    print(f"{len(walk.failures)} failures", flush=True)
    return 1 if walk.failures else 0


if __name__ == "__main__":
    sys.exit(main())
