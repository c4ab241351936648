#!/usr/bin/env python3
"""Write the price data of an installed (or unpacked) genai-prices package as
the JSON of genai-prices' `prices/data.json`: a list of providers, each with
`models`, whose `prices` are a plain object or a list of prices conditional on
a `start_date`. `infercost import genai-prices` reads that JSON.

The package carries newer data than the repository's JSON feed at times
(genai-prices 0.2.3 has `price_variants` for batch and priority tiers), so
the refresh of the bundled prices reads the package:

    pip download --no-deps genai-prices==0.2.3 && unzip -q genai_prices-0.2.3-*.whl -d gp
    PYTHONPATH=gp python3 scripts/genai_prices_to_json.py > genai-prices.json

Only the standard library and the package's own modules are used; the
package's network updater (`httpx2`) is never imported.
"""

import dataclasses
import datetime
import decimal
import json
import sys
import types


def plain(value):
    """The JSON form of a genai-prices value: dataclasses and ModelPrice as objects."""
    if isinstance(value, decimal.Decimal):
        # Decimal -> shortest float text that reads back as the same decimal.
        return float(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if v is not None}
    if dataclasses.is_dataclass(value):
        out = {}
        for f in dataclasses.fields(value):
            v = getattr(value, f.name)
            if v is None or f.name in ("extractors",):
                continue
            out[f.name.rstrip("_")] = plain(v)
        return out
    if type(value).__name__ == "ModelPrice":
        return {k: plain(v) for k, v in vars(value).items() if v is not None and not k.startswith("_")}
    return value


def main():
    # The package's __init__ pulls in its network updater; the data needs none of it.
    sys.modules.setdefault("httpx2", types.ModuleType("httpx2"))
    from genai_prices.data import providers

    json.dump(plain(providers), sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
