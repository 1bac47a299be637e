# error: 2:13: Unclosed configuration block
job "cache" {
  datacenters = ["dc1"]

  group "cache" {
    task "redis" {
      driver = "docker"

      config {
        image = "redis:7"
      }
    }
  # the group's closing brace is missing
}
