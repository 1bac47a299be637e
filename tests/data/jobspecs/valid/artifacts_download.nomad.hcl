# Exercises: artifact blocks with source, destination, mode (file/dir/any), options {}, headers {}, chown, and a git source; raw_exec consuming them.
job "static-site-builder" {
  type        = "batch"
  datacenters = ["dc1"]

  group "build" {
    task "hugo" {
      driver = "raw_exec"

      artifact {
        source      = "https://github.com/gohugoio/hugo/releases/download/v0.128.0/hugo_0.128.0_linux-amd64.tar.gz"
        destination = "local/bin"
        mode        = "dir"

        options {
          checksum = "sha256:4f5e6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091"
        }
      }

      artifact {
        source      = "git::https://git.example.com/web/site.git"
        destination = "local/site"

        options {
          ref   = "main"
          depth = 1
        }
      }

      artifact {
        source      = "https://artifacts.example.com/private/theme.zip"
        destination = "local/site/themes/corp"
        mode        = "any"
        chown       = true

        headers {
          Authorization = "Bearer REPLACE_ME"
          User-Agent    = "nomad-artifact-fetcher"
        }
      }

      artifact {
        source      = "https://artifacts.example.com/configs/robots.txt"
        destination = "local/site/static/robots.txt"
        mode        = "file"
      }

      config {
        command = "local/bin/hugo"
        args    = ["--source", "local/site", "--destination", "/srv/www/site", "--minify"]
      }

      resources {
        cpu    = 1000
        memory = 512
      }
    }
  }
}
