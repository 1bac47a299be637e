t = <<EOF
%{ for k, v in var.tags ~}
${k}=${v}
%{ endfor ~}
%{~ if var.enabled }yes%{ endif ~}
EOF
