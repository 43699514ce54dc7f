#!/usr/bin/env python3
"""seed.py ROOT CORPUS_DIR: writes starting inputs for every fuzz target
from the project's tests and, when present, ../shared/testdata."""
import json
import os
import pathlib
import sys

root, corpus = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
shared = root.parent / "shared" / "testdata"


def put(target, name, data):
    d = corpus / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())


put("fuzz_credentials_file", "two", '{"basic":{"BasicHTTP":{"username":"user","password":"password"}},'
    '"bearer":{"BearerToken":"password"},"test":{"CondaToken":"password"}}')
put("fuzz_credentials_file", "s3", '{"s3://b":{"S3Credentials":{"access_key_id":"a",'
    '"secret_access_key":"k","session_token":null}},"*.prefix.dev":{"BearerToken":"x"}}')
put("fuzz_credentials_file", "oauth", '{"h":{"OAuth":{"access_token":"a","refresh_token":"r",'
    '"expires_at":1700000000,"token_endpoint":"https://i/t","revocation_endpoint":null,"client_id":"c"}}}')
for i, (url, keys) in enumerate([
        ("https://repo.prefix.dev/c/noarch/repodata.json", "*.prefix.dev\nrepo.prefix.dev"),
        ("s3://bucket/channel/noarch/x.json", "s3://bucket/channel\ns3://bucket"),
        ("http://[::1]:8080/t/tok/x", "[::1]"),
        ("https://u:p@a.b.example.com:443/x?y#z", "*.example.com\n*.com")]):
    put("fuzz_resolve", f"seed{i}", url.encode() + b"\0" + keys.encode())
put("fuzz_sigv4", "get", "GET\nhttps://examplebucket.s3.amazonaws.com/test.txt\nx-amz-meta-a:b\n")
put("fuzz_sigv4", "query", "PUT\nhttp://127.0.0.1:9000/b/a%20b/../c?x=1&y\nhost:h\n")
put("fuzz_netrc", "basic", "machine example.com login u password p\ndefault login d password q\n")
put("fuzz_toml", "pixi", '[s3-options."my-bucket"]\nendpoint-url = "http://localhost:9000"\n'
    'region = "us-east-1"\nforce-path-style = true\n[pypi-config]\nkeyring-provider = "subprocess"\n')

put("fuzz_aws_config", "creds", "[default]\naws_access_key_id = AKID\naws_secret_access_key = s\n"
    "# c\n[dev]\naws_access_key_id=A2\n  aws_secret_access_key = k ; x\n")
put("fuzz_aws_config", "config", "[profile dev]\nregion = eu-west-1\ns3 =\n  addressing_style = path\n"
    "[default]\nendpoint_url = http://localhost:9000\n")
put("fuzz_request", "plain", b"https://repo.prefix.dev/c/noarch/repodata.json\0Accept: */*")
put("fuzz_request", "auth", b"https://h/x\0Authorization: Bearer mine\nX: y")
put("fuzz_header_injection", "bearer", b"GET\0https://h/x\0tok\r\nX-Injected: yes\0Accept: */*")
put("fuzz_header_injection", "conda", b"GET\0https://h/x?q\0../../admin?x=\0")
put("fuzz_header_injection", "json", b"GET\0https://h/x\0{\"BearerToken\":\"a\\nb\"}\0X: y\rZ")
put("fuzz_header_injection", "s3", b"PUT\0s3://bucket/a/b\0sec\nret\0")
put("fuzz_request", "conda", b"https://u:p@conda.anaconda.org/t/old/conda-forge/x?q#f\0")

if shared.exists():
    for i, case in enumerate(json.loads((shared / "netrc" / "cases.json").read_text())):
        if case.get("netrc") is not None:
            put("fuzz_netrc", f"case{i}", case["netrc"])
    toml = shared / "toml-test" / "tests"
    for i, p in enumerate(sorted(toml.rglob("*.toml"))):
        put("fuzz_toml", f"t{i}", p.read_bytes())
    for i, p in enumerate(sorted((shared / "sigv4" / "v4").rglob("*.req"))):
        lines = p.read_text(errors="replace").splitlines()
        if not lines:
            continue
        method, _, rest = lines[0].partition(" ")
        path = rest.rsplit(" ", 1)[0]
        host = next((l.split(":", 1)[1] for l in lines if l.lower().startswith("host:")), "h")
        put("fuzz_sigv4", f"v4_{i}", "\n".join([method, f"https://{host}{path}", *lines[1:]]))
else:
    print("seed.py: ../shared/testdata absent; seeding from the project only", file=sys.stderr)
