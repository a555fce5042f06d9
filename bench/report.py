"""The table `make bench` prints from its results: in-process figures per size, load tests, how flat
the figures stay from the smallest to the largest size, and the glossary matcher."""


def print_table(results):
    for size, result in results["sizes"].items():
        print(f"\n== {int(size):,} briefs ({result['published']:,} published) — in-process, DEBUG off")
        print(f"{'page':8} {'':9} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>8} {'queries':>8}  seq scans")
        for page, data in result["pages"].items():
            for mode in ("uncached", "cached"):
                row = data[mode]
                scans = ", ".join(result["plans"][page]["seq_scans"]) if mode == "uncached" else ""
                print(
                    f"{page:8} {mode:9} {row['median_ms']:>10} {row['p95_ms']:>8} {row['cpu_ms']:>8} "
                    f"{row['queries']:>8}  {scans}"
                )
        for page, note in result["notes"].items():
            print(f"{page:8} skipped: {note}")
        searches = result.get("searches")
        if searches:
            print(
                f"search, {len(searches['queries'])} typical queries ({searches['searches']} page views, "
                f"uncached): median {searches['page_median_ms']} ms, p95 {searches['page_p95_ms']} ms, "
                f"CPU {searches['page_cpu_ms']} ms (target: median <= 50 ms)"
            )
        print(f"load average at the start: {result.get('load_average')}")
        if result.get("generation"):
            gen = result["generation"]
            print(f"data set: {gen.get('output', '')} (wall {gen.get('seconds', '-')} s)")
        if result.get("load"):
            header = f"{'req/s':>8} {'median ms':>10} {'p99 ms':>8} {'server CPU ms/req':>18} {'non-2xx':>8}"
            print(f"\n{'brief page under wrk':28} {header}")
            for label, row in result["load"].items():
                if isinstance(row, dict):
                    print(
                        f"{label:28} {row['requests_per_s']:>8} {row['median_ms']!s:>10} "
                        f"{row['p99_ms']!s:>8} {row['server_cpu_ms_per_request']!s:>18} {row['non_2xx']:>8}"
                    )
                else:
                    print(f"{label}: {row}")
            nginx, static = (
                result["load"].get("nginx cache -> gunicorn"),
                result["load"].get("nginx static file"),
            )
            if isinstance(nginx, dict) and isinstance(static, dict) and static["requests_per_s"]:
                ratio = nginx["requests_per_s"] / static["requests_per_s"]
                print(f"nginx cache / static file requests/s: {ratio:.2f} (target >= 0.5)")
    sizes = sorted(results["sizes"], key=int)
    if len(sizes) > 1:
        small, large = results["sizes"][sizes[0]], results["sizes"][sizes[-1]]
        print(f"\nflatness {int(sizes[-1]):,} / {int(sizes[0]):,} briefs (uncached; target <= 1.2x)")
        for page in large["pages"]:
            if page in small["pages"]:
                a, b = small["pages"][page]["uncached"], large["pages"][page]["uncached"]
                ratio = b["cpu_ms"] / a["cpu_ms"] if a["cpu_ms"] else float("nan")
                print(
                    f"{page:8} CPU {a['cpu_ms']} -> {b['cpu_ms']} ms ({ratio:.2f}x), "
                    f"queries {a['queries']} -> {b['queries']}"
                )
        if small.get("searches") and large.get("searches"):
            a, b = small["searches"]["page_cpu_ms"], large["searches"]["page_cpu_ms"]
            print(f"searches CPU {a} -> {b} ms ({b / a:.2f}x) over the typical queries")
    matcher = results.get("matcher")
    if matcher:
        print(
            f"\nglossary matcher (10,000 terms, 1,000 words): median {matcher['scan_median_ms']} ms, "
            f"p95 {matcher['scan_p95_ms']} ms, CPU median {matcher['scan_cpu_median_ms']} ms (target <= 5 ms)"
        )
