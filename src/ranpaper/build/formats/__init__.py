"""One module per output, each declaring `OUTPUT` (registered in `ranpaper.build.outputs`)."""
