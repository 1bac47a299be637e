# Exercises: template blocks: inline data (heredoc with Go template and {{ env "X" }}), source/destination, change_mode restart/signal/noop, change_signal, perms, splay, env = true, left/right_delimiter, wait {min,max}, error_on_missing_key.
job "haproxy-edge" {
  datacenters = ["dc1"]

  group "lb" {
    network {
      port "http" {
        static = 8080
      }
      port "stats" {}
    }

    task "haproxy" {
      driver = "docker"

      config {
        image   = "haproxy:2.9"
        ports   = ["http", "stats"]
        volumes = ["local/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg"]
      }

      template {
        destination   = "local/haproxy.cfg"
        change_mode   = "signal"
        change_signal = "SIGUSR2"
        splay         = "3s"
        perms         = "0640"
        data          = <<EOF
global
  maxconn 4096

frontend http_in
  bind *:{{ env "NOMAD_PORT_http" }}
  default_backend web

backend web
  balance roundrobin
{{ range service "web" }}
  server {{ .Node }}-{{ .Port }} {{ .Address }}:{{ .Port }} check
{{ end }}

listen stats
  bind *:{{ env "NOMAD_PORT_stats" }}
  stats enable
EOF

        wait {
          min = "5s"
          max = "30s"
        }
      }

      artifact {
        source      = "https://artifacts.example.com/haproxy/limits.tpl"
        destination = "local/"
      }

      template {
        source          = "local/limits.tpl"
        destination     = "local/limits.conf"
        change_mode     = "noop"
        left_delimiter  = "[["
        right_delimiter = "]]"
      }

      template {
        destination          = "secrets/app.env"
        env                  = true
        change_mode          = "restart"
        error_on_missing_key = true
        data                 = <<-EOH
          STATS_USER={{ key "haproxy/stats/user" }}
          NODE_NAME={{ env "node.unique.name" }}
        EOH
      }

      resources {
        cpu    = 500
        memory = 128
      }
    }
  }
}
