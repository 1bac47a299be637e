# Exercises: heredocs <<EOF and <<-EOF, %{ for } / %{ if } / %{ else } directives with ~ strip markers, %{ if } in a quoted string, $${ and %%{ escapes, ${...} interpolation in heredocs.
variable "backends" {
  type    = list(string)
  default = ["10.0.1.10:8080", "10.0.1.11:8080", "10.0.1.12:8080"]
}

variable "tls_at_alb" {
  type    = bool
  default = true
}

variable "server_name" {
  type    = string
  default = "app.example.com"
}

job "nginx-lb" {
  datacenters = ["dc1"]

  group "lb" {
    network {
      port "http" {
        static = 8081
      }
    }

    task "nginx" {
      driver = "docker"

      config {
        image   = "nginx:1.27"
        ports   = ["http"]
        volumes = ["local/nginx.conf:/etc/nginx/conf.d/default.conf"]
        args    = ["nginx", "-g", "daemon off;%{ if !var.tls_at_alb } user nginx;%{ endif }"]
      }

      template {
        destination   = "local/nginx.conf"
        change_mode   = "signal"
        change_signal = "SIGHUP"
        data          = <<-EOF
          upstream app {
          %{ for addr in var.backends ~}
            server ${addr} max_fails=3 fail_timeout=10s;
          %{ endfor ~}
          }

          server {
            listen 8081;
            server_name ${var.server_name};
          %{ if var.tls_at_alb ~}
            set $forwarded_proto https;
          %{ else ~}
            set $forwarded_proto $scheme;
          %{ endif ~}

            location /download/ {
              rewrite ^/download/(.*)$ /files/$1 break;
            }

            location / {
              proxy_pass http://app;
              proxy_set_header X-Forwarded-Proto $forwarded_proto;
              proxy_set_header X-Served-By {{ env "NOMAD_ALLOC_ID" }};
            }
          }
        EOF
      }

      template {
        destination = "local/rotate-logs.sh"
        perms       = "0755"
        data        = <<EOF
#!/bin/sh
# $${VAR} reaches the shell as a shell variable, ${length(var.backends)} is HCL.
LOG_DIR="$${NOMAD_ALLOC_DIR:-/alloc}/logs"
echo "rotating $${LOG_DIR} for ${length(var.backends)} backends"
printf 'format: %%{+Q}r\n'
EOF
      }

      resources {
        cpu    = 200
        memory = 64
      }
    }
  }
}
