a = "%{ if var.enabled }on%{ else }off%{ endif }"
b = "%{ for p in var.ports ~} ${p} %{~ endfor }"
c = "${var.name}-${var.count + 1}"
d = "\u00e9\t\"q\" \\ %%{x}"
