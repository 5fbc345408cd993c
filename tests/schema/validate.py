#!/usr/bin/env python3
"""Validate saveconfig.json documents against schemas/saveconfig.schema.json.

usage: validate.py SCHEMA [--format] [--self-test] FILE...

A FILE is a saveconfig.json document, or a case result of
/work/shared/cases/expected (an object with "saveconfig" and
"default_savefile": {"config": ...}), whose documents are validated.
--format also requires each file to be laid out exactly as targetcli-fb
writes it: json.dumps(sort_keys=True, indent=2) + "\\n".
--self-test checks that the schema rejects documents it must reject.
Exit status 1 on any failure, 2 on a usage or environment problem.
"""
import copy
import json
import sys

try:
    from jsonschema.validators import validator_for
except ImportError:
    sys.exit("validate.py: python3-jsonschema is missing (scripts/install-deps.sh test)")


def documents(path, data):
    if isinstance(data, dict) and "saveconfig" in data and "exit_codes" in data:
        if data.get("saveconfig") is not None:
            yield path + ":saveconfig", data["saveconfig"]
        default = data.get("default_savefile")
        if default is not None:
            yield path + ":default_savefile", default["config"]
    else:
        yield path, data


MINIMAL = {
    "fabric_modules": [],
    "storage_objects": [
        {"name": "d", "plugin": "fileio", "dev": "/tmp/d.img", "size": 4096,
         "write_back": True, "wwn": "x", "aio": False, "attributes": {"block_size": 512},
         "alua_tpgs": []}
    ],
    "targets": [
        {"wwn": "iqn.2003-01.org.example:t", "fabric": "iscsi",
         "tpgs": [{"tag": 1, "enable": True,
                   "luns": [{"index": 0, "storage_object": "/backstores/fileio/d",
                             "alias": "abc", "alua_tg_pt_gp_name": None}],
                   "portals": [{"ip_address": "[::0]", "port": 3260,
                                "iser": False, "offload": False}],
                   "node_acls": [{"node_wwn": "iqn.1994-05.com.redhat:c",
                                  "attributes": {"authentication": -1},
                                  "mapped_luns": [{"index": 0, "tpg_lun": 0,
                                                   "write_protect": False,
                                                   "alias": "m"}]}]}]}
    ],
}


def self_test(validator):
    """The schema accepts MINIMAL and rejects each broken variant."""
    failures = 0
    errs = list(validator.iter_errors(MINIMAL))
    if errs:
        print("FAIL self-test: minimal document rejected:", errs[0].message)
        failures += 1

    def so(d):
        return d["storage_objects"][0]

    def tpg(d):
        return d["targets"][0]["tpgs"][0]

    bad = {
        "unknown top-level key": lambda d: d.update(extra=1),
        "storage object without name": lambda d: so(d).pop("name"),
        "unknown plugin": lambda d: so(d).update(plugin="nvme"),
        "fileio without dev": lambda d: so(d).pop("dev"),
        "fileio with readonly": lambda d: so(d).update(readonly=True),
        "size as a string": lambda d: so(d).update(size="4096"),
        "write_back as 1": lambda d: so(d).update(write_back=1),
        "nullio false": lambda d: so(d).update(plugin="ramdisk", nullio=False),
        "attribute as bool": lambda d: so(d)["attributes"].update(block_size=True),
        "target without fabric": lambda d: d["targets"][0].pop("fabric"),
        "unknown fabric": lambda d: d["targets"][0].update(fabric="nvmet"),
        "tpg typo": lambda d: tpg(d).update(enabled=True),
        "parameter as int": lambda d: tpg(d).update(parameters={"MaxConnections": 1}),
        "lun index too big": lambda d: tpg(d)["luns"][0].update(index=70000),
        "lun storage_object path": lambda d: tpg(d)["luns"][0].update(storage_object="fileio/d"),
        "alua group as int": lambda d: tpg(d)["luns"][0].update(alua_tg_pt_gp_name=0),
        "portal without port": lambda d: tpg(d)["portals"][0].pop("port"),
        "ipv6 without brackets": lambda d: tpg(d)["portals"][0].update(ip_address="::0"),
        "acl without node_wwn": lambda d: tpg(d)["node_acls"][0].pop("node_wwn"),
        "mapped lun without tpg_lun": lambda d: tpg(d)["node_acls"][0]["mapped_luns"][0].pop("tpg_lun"),
        "write_protect as string": lambda d: tpg(d)["node_acls"][0]["mapped_luns"][0].update(write_protect="no"),
        "chap secret too long": lambda d: tpg(d).update(chap_password="x" * 256),
        "alua tpg without id": lambda d: so(d).update(alua_tpgs=[{"name": "g"}]),
        "storage_objects not a list": lambda d: d.update(storage_objects={}),
    }
    for name, mutate in bad.items():
        doc = copy.deepcopy(MINIMAL)
        mutate(doc)
        if validator.is_valid(doc):
            print("FAIL self-test: accepted a document with", name)
            failures += 1
    print("self-test: %d broken documents rejected, %d failures" % (len(bad), failures))
    return failures


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        schema = json.load(f)
    cls = validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    fmt = "--format" in argv[2:]
    failures = 0
    count = 0
    if "--self-test" in argv[2:]:
        failures += self_test(validator)
    for path in [a for a in argv[2:] if not a.startswith("--")]:
        with open(path) as f:
            text = f.read()
        try:
            data = json.loads(text)
        except ValueError as e:
            print("FAIL %s: not JSON: %s" % (path, e))
            failures += 1
            continue
        if fmt and text != json.dumps(data, sort_keys=True, indent=2) + "\n":
            print("FAIL %s: not laid out as json.dump(sort_keys=True, indent=2) + newline" % path)
            failures += 1
        for name, doc in documents(path, data):
            count += 1
            errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
            for e in errors[:5]:
                where = "/".join(str(p) for p in e.absolute_path)
                print("FAIL %s: /%s: %s" % (name, where, e.message))
            if errors:
                failures += 1
    try:
        from importlib.metadata import version
        ver = version("jsonschema")
    except Exception:
        ver = "?"
    print("%d documents validated with %s (jsonschema %s), %d failures"
          % (count, cls.__name__, ver, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
