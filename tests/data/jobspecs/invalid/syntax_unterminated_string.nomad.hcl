# error: 10:49: Unterminated template string
job "katalog" {
  datacenters = ["dc1"]

  group "katalog" {
    task "katalog" {
      driver = "raw_exec"

      config {
        command = "/opt/bücher/bin/katalog-größe
      }
    }
  }
}
