# Seed 001, assembled from its snippets: bridge network (static = 8080, to = 8080) and the nginx Traefik tags (rule, entrypoints, certresolver, middlewares, loadbalancer port).
job "nginx" {
  datacenters = ["dc1"]

  group "nginx" {
    network {
      mode = "bridge"
      port "http" {
        static = 8080
        to     = 8080
      }
    }

    service {
      name = "nginx"
      port = "http"
      tags = [
        "traefik.enable=true",
        "traefik.http.routers.nginx.rule=Host(`nginx.shamsway.net`)",
        "traefik.http.routers.nginx.entrypoints=web,websecure",
        "traefik.http.routers.nginx.tls.certresolver=cloudflare",
        "traefik.http.routers.nginx.middlewares=redirect-web-to-websecure@internal",
        "traefik.http.services.nginx.loadbalancer.server.port=${NOMAD_PORT_http}",
      ]
    }

    task "nginx" {
      driver = "docker"

      config {
        image = "nginx:stable"
        ports = ["http"]
      }
    }
  }
}
