"""Lost links found again and kept alive.

- `registry`: `links.toml` beside a paper maps a lost link (its text and the topic that cites
  it) to the URL found for it, with who found it and when.
- `citations`: where each link of a paper is cited (its topic path), and which registry
  entries recover which lost links.
- `recover`: the pure model transform `Paper` → `Paper` that `build` applies before
  rendering, so that renderers never know about the registry.
- `lost`: what is still lost, grouped by document (`ranpaper links --lost`).
- `apply`: the registry's URLs as source `Edit`s (`ranpaper links --apply`).
- `external`: the external link checker (`ranpaper links --check-external`, httpx).

`ranpaper check` imports only `registry` and `citations` (standard library only). Which
URLs the registry may hold is the URL policy's (`ranpaper.urls.registry_url_problem`).
"""
