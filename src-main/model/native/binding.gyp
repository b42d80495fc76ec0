{
  "targets": [
    {
      "target_name": "wavehouse_kernels",
      "sources": ["kernels.c"],
      "cflags": ["-O3", "-ffp-contract=fast", "-fno-math-errno", "-Wno-psabi"],
      "cflags!": ["-O2"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O3", "-ffp-contract=fast"] }
    }
  ]
}
