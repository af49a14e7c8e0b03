#!/usr/bin/env python3
"""Reads `tmux capture-pane -p -e` output on standard input and writes one canonical form of it.

tmux writes an SGR sequence where the attributes change from the previous cell, and the cells
it trims at a line's end (blanks) still change the state it carries into the next line. How
ncurses painted those blanks (spaces, or clear to end of line) depends on what was on the screen
before, so the same screen can come out with different sequences. Here the state is followed
over the whole screen, and each line is written as runs of text, each after a readable tag of
its state, {bold fg/bg} for example, where the state changes; a line starts with its tag.
Nothing but the visible characters' state is kept.
"""
import re
import sys

NAMES = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]
FLAGS = {1: "bold", 2: "dim", 3: "italic", 4: "underline", 5: "blink", 7: "reverse",
         8: "hidden", 9: "strike"}
OFF = {22: (1, 2), 23: (3,), 24: (4,), 25: (5,), 27: (7,), 28: (8,), 29: (9,)}


def fresh():
    return {"fg": "default", "bg": "default", "flags": set()}


def apply(state, params):
    codes = [int(c) if c else 0 for c in (params or "0").split(";")]
    i = 0
    while i < len(codes):
        c = codes[i]
        if c == 0:
            state.clear()
            state.update(fresh())
        elif c in FLAGS:
            state["flags"].add(c)
        elif c in OFF:
            state["flags"].difference_update(OFF[c])
        elif 30 <= c <= 37:
            state["fg"] = NAMES[c - 30]
        elif c == 39:
            state["fg"] = "default"
        elif 40 <= c <= 47:
            state["bg"] = NAMES[c - 40]
        elif c == 49:
            state["bg"] = "default"
        elif 90 <= c <= 97:
            state["fg"] = "bright-" + NAMES[c - 90]
        elif 100 <= c <= 107:
            state["bg"] = "bright-" + NAMES[c - 100]
        elif c in (38, 48) and i + 1 < len(codes):
            key = "fg" if c == 38 else "bg"
            if codes[i + 1] == 5 and i + 2 < len(codes):
                state[key] = "colour%d" % codes[i + 2]
                i += 2
            elif codes[i + 1] == 2 and i + 4 < len(codes):
                state[key] = "#%02x%02x%02x" % tuple(codes[i + 2:i + 5])
                i += 4
        i += 1


def tag(state):
    words = [FLAGS[f] for f in sorted(state["flags"])]
    words.append("%s/%s" % (state["fg"], state["bg"]))
    return "{" + " ".join(words) + "}"


SGR = re.compile(r"\x1b\[([0-9;]*)m")


def main():
    state = fresh()
    for raw in sys.stdin.read().split("\n")[:-1]:
        cells = []  # (character, tag) for every visible character
        pos = 0
        for m in SGR.finditer(raw):
            cells.extend((ch, tag(state)) for ch in raw[pos:m.start()])
            apply(state, m.group(1))
            pos = m.end()
        cells.extend((ch, tag(state)) for ch in raw[pos:])
        while cells and cells[-1][0] == " ":
            cells.pop()
        out, last = [], None
        for ch, t in cells:
            if t != last:
                out.append(t)
                last = t
            out.append(ch)
        sys.stdout.write("".join(out) + "\n")


main()
