#!/usr/bin/env python3
"""Check the packaging views of a generated design: TOP.xml and TOP.core, where TOP is
sharp_axi_top for a design with the AXI shell (config shell = "axi") and sharp_top otherwise.

TOP.xml (IP-XACT, IEEE 1685-2014) must be well-formed XML and describe the design:
  - the component's vendor, library, name and version are present;
  - the bus interfaces s_axi and s_axis_w, s_axis_b, s_axis_x, s_axis_s, m_axis_h are present, each
    with a bus type and abstraction VLNV and port maps whose physical ports are ports of the model
    (the shell only: the bare core's ports follow no bus standard, and it has no bus interface);
  - the memory map's registers are the manifest's ("registers": name, byte offset 4 x addr) (the
    shell only);
  - the model's ports are the top module's (its "module" declaration in rtl/TOP.sv);
  - the file set "rtl" lists the lines of filelist.f in order, and every file exists.
When an IP-XACT 2014 schema is installed (--xsd PATH, $SHARP_IPXACT_XSD, or an index.xsd /
component.xsd of that namespace under /usr/share/xml, /usr/share, /usr/local/share or /opt) and
xmllint is present, the file is also validated against it; otherwise the summary says that the
structure only was checked.
TOP.core (FuseSoC CAPI2) must start with "CAPI=2:", be named
sharpgen:sharp:<config name>:<version> (from manifest.json), list filelist.f in order as its "rtl"
file set (include files flagged is_include_file), name only files that exist, and give
TOP as the toplevel of its targets. It is read with the yaml module when installed (else with a
small parser of the YAML subset the generator writes; --no-yaml forces that parser).

Usage: ci/check_packaging.py [--xsd PATH] [--no-yaml] DESIGN_DIR
Exit status: 0 the views are consistent (one summary line), 1 something is wrong (each problem
printed on its own line), 2 usage error or a design directory without manifest.json.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

NS = "http://www.accellera.org/XMLSchema/IPXACT/1685-2014"
Q = "{%s}" % NS
BUSES = ("s_axi", "s_axis_w", "s_axis_b", "s_axis_x", "s_axis_s", "m_axis_h")
TOP = "sharp_axi_top"  # per design, in main()
SHELL = True
XSD_DIRS = ("/usr/share/xml", "/usr/share", "/usr/local/share", "/opt")


class Problems:
    def __init__(self):
        self.items = []

    def add(self, where, what):
        self.items.append("%s: %s" % (where, what))


# ---------------------------------------------------------------------------------------------
# Reading the design


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip()]


def parse_int(text):
    """An IP-XACT number: decimal, 0x.., or a SystemVerilog literal such as 'h1f or 32'h1f."""
    t = text.strip().replace("_", "")
    m = re.fullmatch(r"(?:\d+)?'([sS]?)([hHdDbBoO])([0-9a-fA-F]+)", t)
    if m:
        return int(m.group(3), {"h": 16, "d": 10, "b": 2, "o": 8}[m.group(2).lower()])
    if t.lower().startswith("0x"):
        return int(t, 16)
    return int(t)


def text_of(elem, tag):
    child = elem.find(Q + tag)
    return None if child is None or child.text is None else child.text.strip()


# ---------------------------------------------------------------------------------------------
# IP-XACT


def find_xsd(explicit):
    """The IP-XACT 2014 schema to validate against, or None. Looks 5 levels deep at most below
    XSD_DIRS, into directories whose path names IP-XACT (ipxact, 1685 or spirit) for the files."""
    for cand in (explicit, os.environ.get("SHARP_IPXACT_XSD")):
        if cand:
            return cand
    hint = re.compile(r"ipxact|1685|spirit", re.IGNORECASE)
    for base in XSD_DIRS:
        if not os.path.isdir(base):
            continue
        depth0 = base.rstrip("/").count("/")
        for dirpath, dirnames, filenames in os.walk(base):
            if dirpath.count("/") - depth0 >= 5:
                dirnames[:] = []
            dirnames.sort()
            if not hint.search(dirpath):
                continue
            for name in ("index.xsd", "component.xsd"):
                if name not in filenames:
                    continue
                path = os.path.join(dirpath, name)
                try:
                    with open(path, encoding="utf-8", errors="replace") as f:
                        head = f.read(20000)
                except OSError:
                    continue
                if 'targetNamespace="%s"' % NS in head:
                    return path
    return None


def read_text(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def check_ipxact(design, manifest, filelist, problems, xsd):
    path = os.path.join(design, TOP + ".xml")
    where = TOP + ".xml"
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        problems.add(where, "not well-formed XML (%s)" % e)
        return "not parsed"
    if root.tag != Q + "component":
        problems.add(where, "root element is %s, not ipxact:component of %s" % (root.tag, NS))
        return "wrong root"
    vlnv = [text_of(root, t) for t in ("vendor", "library", "name", "version")]
    if not all(vlnv):
        problems.add(where, "component VLNV incomplete: %s" % ":".join(v or "?" for v in vlnv))
    if vlnv[3] and vlnv[3] != manifest.get("version"):
        problems.add(where, "component version %s, manifest says %s" % (vlnv[3], manifest.get("version")))

    ports = {}
    for port in root.iterfind(Q + "model/" + Q + "ports/" + Q + "port"):
        ports[text_of(port, "name")] = port
    if not ports:
        problems.add(where, "the model has no ports")

    # The model's ports against the top module's declaration.
    decl = re.search(r"module\s+%s\s*\((.*?)\);" % TOP, read_text(os.path.join(design, "rtl", TOP + ".sv")), re.S)
    declared = re.findall(r"(\w+)\s*(?:,|$)", decl.group(1).strip()) if decl else []
    if sorted(declared) != sorted(ports):
        problems.add(
            where,
            "the model's ports differ from module %s's: %s" % (TOP, first_difference(sorted(ports), sorted(declared))),
        )

    interfaces = {}
    for bus in root.iterfind(Q + "busInterfaces/" + Q + "busInterface"):
        interfaces[text_of(bus, "name")] = bus
    if not SHELL and interfaces:
        problems.add(where, "the bare core has bus interfaces: %s" % ", ".join(sorted(interfaces)))
    for name in BUSES if SHELL else ():
        bus = interfaces.get(name)
        if bus is None:
            problems.add(where, "bus interface %s missing" % name)
            continue
        bus_type = bus.find(Q + "busType")
        if bus_type is None or not all(bus_type.get(a) for a in ("vendor", "library", "name", "version")):
            problems.add(where, "bus interface %s: busType VLNV missing or incomplete" % name)
        ref = bus.find(".//" + Q + "abstractionRef")
        if ref is None or not all(ref.get(a) for a in ("vendor", "library", "name", "version")):
            problems.add(where, "bus interface %s: abstractionRef VLNV missing or incomplete" % name)
        maps = bus.findall(".//" + Q + "portMap")
        if not maps:
            problems.add(where, "bus interface %s has no port map" % name)
        for pm in maps:
            phys = pm.find(Q + "physicalPort")
            pname = None if phys is None else text_of(phys, "name")
            if pname not in ports:
                problems.add(where, "bus interface %s maps physical port %r, not a port of the model" % (name, pname))
        if bus.find(Q + "slave") is None and bus.find(Q + "master") is None:
            problems.add(where, "bus interface %s is neither master nor slave" % name)

    got = []
    for reg in root.iterfind(".//" + Q + "addressBlock/" + Q + "register"):
        offset = text_of(reg, "addressOffset")
        try:
            got.append((text_of(reg, "name"), parse_int(offset)))
        except (TypeError, ValueError):
            problems.add(where, "register %s: address offset %r is not a number" % (text_of(reg, "name"), offset))
        if reg.find(Q + "field") is None:
            problems.add(where, "register %s has no field (the 2014 schema wants one)" % text_of(reg, "name"))
    want = [(r["name"], 4 * r["addr"]) for r in manifest.get("registers", [])] if SHELL else []
    if sorted(got) != sorted(want):
        got_d, want_d = dict(got), dict(want)
        for n, off in want:
            if n not in got_d:
                problems.add(where, "register %s (byte offset 0x%x) missing from the memory map" % (n, off))
            elif got_d[n] != off:
                problems.add(where, "register %s at byte offset 0x%x, manifest says 0x%x" % (n, got_d[n], off))
        for n, off in got:
            if n not in want_d:
                problems.add(where, "register %s (byte offset 0x%x) is not in manifest.json" % (n, off))
        if len(got) != len(set(n for n, _ in got)):
            problems.add(where, "a register is listed twice in the memory map")

    rtl = None
    for fs in root.iterfind(Q + "fileSets/" + Q + "fileSet"):
        if text_of(fs, "name") == "rtl":
            rtl = [text_of(f, "name") for f in fs.iterfind(Q + "file")]
        for f in fs.iterfind(Q + "file"):
            name = text_of(f, "name")
            if not name or not os.path.isfile(os.path.join(design, name)):
                problems.add(where, "file set %s lists %r, which does not exist" % (text_of(fs, "name"), name))
    if rtl is None:
        problems.add(where, "no file set named rtl")
    elif rtl != filelist:
        problems.add(where, "file set rtl differs from filelist.f: %s" % first_difference(rtl, filelist))

    if xsd is None:
        return "no IP-XACT 2014 schema installed: structure checked only"
    if not shutil.which("xmllint"):
        return "schema %s found but no xmllint: structure checked only" % xsd
    run = subprocess.run(["xmllint", "--noout", "--schema", xsd, path], capture_output=True, text=True)
    if run.returncode != 0:
        for line in (run.stderr or run.stdout).strip().splitlines()[:20]:
            problems.add(where, "schema: " + line)
        return "schema validation failed"
    return "valid against %s" % xsd


def first_difference(got, want):
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            return "entry %d is %r, filelist.f has %r" % (i + 1, g, w)
    if len(got) != len(want):
        return "%d entries, filelist.f has %d" % (len(got), len(want))
    return "no difference"


# ---------------------------------------------------------------------------------------------
# YAML: the module when installed, else a parser of the subset fusesoc_core() writes (block
# mappings and sequences by indentation, flow [a, b] and {k: v}, plain and double-quoted scalars,
# comments).


def yaml_scalar(text):
    t = text.strip()
    if t.startswith('"'):
        return json.loads(t)  # the generator's double-quoted strings are JSON-compatible
    if t.startswith("'") and t.endswith("'"):
        return t[1:-1].replace("''", "'")
    if t.startswith("["):
        inner = t[1:-1].strip()
        return [yaml_scalar(x) for x in split_flow(inner)] if inner else []
    if t.startswith("{"):
        inner = t[1:-1].strip()
        out = {}
        for item in split_flow(inner) if inner else []:
            k, v = split_key(item)
            out[yaml_scalar(k)] = yaml_scalar(v)
        return out
    if t in ("true", "True"):
        return True
    if t in ("false", "False"):
        return False
    if re.fullmatch(r"-?\d+", t):
        return int(t)
    return t


def split_flow(text):
    parts, depth, cur, quote = [], 0, "", False
    for c in text:
        if c == '"':
            quote = not quote
        if not quote and c in "[{":
            depth += 1
        if not quote and c in "]}":
            depth -= 1
        if c == "," and depth == 0 and not quote:
            parts.append(cur)
            cur = ""
        else:
            cur += c
    parts.append(cur)
    return [p.strip() for p in parts]


def split_key(text):
    """Splits 'key: value' (the key plain or double-quoted) at its colon."""
    if text.startswith('"'):
        end = 1
        while end < len(text) and (text[end] != '"' or text[end - 1] == "\\"):
            end += 1
        rest = text[end + 1 :]
        if not rest.startswith(":"):
            raise ValueError("expected ':' after %s" % text[: end + 1])
        return text[: end + 1], rest[1:]
    m = re.match(r"([^:]+):(\s|$)(.*)", text)
    if not m:
        raise ValueError("expected 'key: value', got %r" % text)
    return m.group(1), m.group(3)


def strip_comment(line):
    quote = False
    for i, c in enumerate(line):
        if c == '"':
            quote = not quote
        if c == "#" and not quote and (i == 0 or line[i - 1] == " "):
            return line[:i].rstrip()
    return line.rstrip()


def mini_yaml(text):
    lines = []
    for raw in text.splitlines():
        line = strip_comment(raw)
        if line.strip():
            lines.append((len(line) - len(line.lstrip(" ")), line.strip()))

    def block(i, indent):
        if lines[i][1].startswith("- "):
            out = []
            while i < len(lines) and lines[i][0] == indent and lines[i][1].startswith("- "):
                item = lines[i][1][2:]
                if re.match(r'^("[^"]*"|[^"\[{][^:]*):(\s|$)', item):
                    k, v = split_key(item)
                    out.append({yaml_scalar(k): yaml_scalar(v) if v.strip() else None})
                else:
                    out.append(yaml_scalar(item))
                i += 1
            return out, i
        out = {}
        while i < len(lines) and lines[i][0] == indent:
            k, v = split_key(lines[i][1])
            i += 1
            if v.strip():
                out[yaml_scalar(k)] = yaml_scalar(v)
            elif i < len(lines) and lines[i][0] > indent:
                out[yaml_scalar(k)], i = block(i, lines[i][0])
            else:
                out[yaml_scalar(k)] = None
        return out, i

    if not lines:
        return {}
    data, end = block(0, lines[0][0])
    if end != len(lines):
        raise ValueError("unexpected indentation at %r" % lines[end][1])
    return data


def load_yaml(text, use_module):
    if use_module:
        try:
            import yaml  # noqa: PLC0415 (optional dependency)
        except ImportError:
            use_module = False
    if use_module:
        return yaml.safe_load(text), "yaml module"
    return mini_yaml(text), "built-in YAML subset parser"


# ---------------------------------------------------------------------------------------------
# FuseSoC


def check_core(design, manifest, filelist, problems, use_yaml):
    path = os.path.join(design, TOP + ".core")
    where = TOP + ".core"
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if not text.startswith("CAPI=2:"):
        problems.add(where, "first line is not 'CAPI=2:'")
    try:
        core, how = load_yaml(text, use_yaml)
    except Exception as e:  # noqa: BLE001 (any parse error is a finding)
        problems.add(where, "not parsable YAML (%s)" % e)
        return "not parsed"
    if not isinstance(core, dict):
        problems.add(where, "top level is not a mapping")
        return how
    config_name = manifest.get("config", {}).get("name", "")
    want_name = "sharpgen:sharp:%s:%s" % (config_name, manifest.get("version"))
    if core.get("name") != want_name:
        problems.add(where, "name is %r, expected %r" % (core.get("name"), want_name))
    parts = str(core.get("name", "")).split(":")
    if len(parts) != 4 or not all(re.fullmatch(r"[A-Za-z0-9_.-]+", x) for x in parts):
        problems.add(where, "name %r is not a VLNV vendor:library:name:version" % core.get("name"))

    filesets = core.get("filesets") or {}
    for fs_name, fs in filesets.items():
        for entry in (fs or {}).get("files") or []:
            name = next(iter(entry)) if isinstance(entry, dict) else entry
            if not isinstance(name, str) or not os.path.isfile(os.path.join(design, name)):
                problems.add(where, "file set %s lists %r, which does not exist" % (fs_name, name))
    rtl = (filesets.get("rtl") or {}).get("files")
    if rtl is None:
        problems.add(where, "no file set named rtl")
    else:
        names = [next(iter(e)) if isinstance(e, dict) else e for e in rtl]
        if names != filelist:
            problems.add(where, "file set rtl differs from filelist.f: %s" % first_difference(names, filelist))
        for e in rtl:
            name = next(iter(e)) if isinstance(e, dict) else e
            attrs = e[name] if isinstance(e, dict) else {}
            include = bool((attrs or {}).get("is_include_file"))
            if str(name).endswith((".svh", ".vh")) != include:
                problems.add(where, "file %s: is_include_file is %s" % (name, str(include).lower()))

    targets = core.get("targets") or {}
    if "default" not in targets:
        problems.add(where, "no default target")
    for t_name, t in targets.items():
        if (t or {}).get("toplevel") != TOP:
            problems.add(where, "target %s: toplevel is %r, not %s" % (t_name, (t or {}).get("toplevel"), TOP))
        for fs in (t or {}).get("filesets") or []:
            if fs not in filesets:
                problems.add(where, "target %s names file set %r, which is not defined" % (t_name, fs))
    return how


# ---------------------------------------------------------------------------------------------


def main(argv):
    xsd, use_yaml, args = None, True, []
    it = iter(argv)
    for a in it:
        if a == "--xsd":
            xsd = next(it, None)
            if xsd is None:
                print("check_packaging: --xsd needs a path", file=sys.stderr)
                return 2
        elif a == "--no-yaml":
            use_yaml = False
        elif a in ("-h", "--help"):
            print(__doc__.strip())
            return 0
        elif a.startswith("-"):
            print("check_packaging: unknown option %r (allowed: --xsd PATH, --no-yaml)" % a, file=sys.stderr)
            return 2
        else:
            args.append(a)
    if len(args) != 1:
        print("usage: ci/check_packaging.py [--xsd PATH] [--no-yaml] DESIGN_DIR", file=sys.stderr)
        return 2
    design = args[0]
    try:
        with open(os.path.join(design, "manifest.json"), encoding="utf-8") as f:
            manifest = json.load(f)
        filelist = read_lines(os.path.join(design, "filelist.f"))
    except (OSError, ValueError) as e:
        print("check_packaging: %s: not a generated design directory (%s)" % (design, e), file=sys.stderr)
        return 2
    if xsd is not None and not os.path.isfile(xsd):
        print("check_packaging: --xsd %s: no such file" % xsd, file=sys.stderr)
        return 2

    global SHELL, TOP
    shell = manifest.get("config", {}).get("shell", "none")
    SHELL = shell == "axi"
    TOP = "sharp_axi_top" if SHELL else "sharp_top"
    present = [n for n in (TOP + ".xml", TOP + ".core") if os.path.isfile(os.path.join(design, n))]
    problems = Problems()
    for n in (TOP + ".xml", TOP + ".core"):
        if n not in present:
            problems.add(n, "missing from the design directory (the design has shell=%r)" % shell)
    xml_note = core_note = "not checked"
    if TOP + ".xml" in present:
        xml_note = check_ipxact(design, manifest, filelist, problems, find_xsd(xsd))
    if TOP + ".core" in present:
        core_note = check_core(design, manifest, filelist, problems, use_yaml)
    if problems.items:
        for p in problems.items:
            print("check_packaging: %s: %s" % (design, p), file=sys.stderr)
        print("check_packaging: %s: %d problem(s)" % (design, len(problems.items)), file=sys.stderr)
        return 1
    print(
        "check_packaging: %s: ok: %s, %d RTL files, %s; IP-XACT: %s; core read with the %s"
        % (
            design,
            TOP,
            len(filelist),
            "%d registers in the memory map, 6 bus interfaces" % len(manifest.get("registers", []))
            if SHELL
            else "ports only (the bare core has no standard bus)",
            xml_note,
            core_note,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
