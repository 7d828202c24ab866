"""Getting the papers: `councilpapers fetch` downloads a council's ModernGov committee papers into a
folder with a manifest, so `run` has a folder of agendas to read (issue 15).

`http` is the polite client (retries, timeouts, a rate per host, robots.txt, atomic downloads),
`moderngov` reads the web service's XML as ModernGov serves it, `fetcher` walks committees,
meetings and documents and writes `manifest.csv` and `fetch_problems.csv`. Nothing here is silent:
every failure is a row in `fetch_problems.csv` and a non-zero exit.
"""
