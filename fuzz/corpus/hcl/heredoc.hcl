data = <<EOF
line one
  ${var.name} and $${literal}
EOF
flush = <<-EOT
    indented ${var.count}
      more
    EOT
