# Seed 003, "Update Strategien": todo with update { canary = 1, max_parallel = 5 } and the TodoServerCanary header; the seed's duplicated -D options are kept as written.
job "todo" {
  datacenters = ["dc1"]

  group "web" {
    count = 5

    update {
      canary       = 1 # <1>
      max_parallel = 5 # <2>
    }

    task "todo" {
      driver = "java"

      config {
        jar_path = "/Users/christoph.kappel/Projects/showcase-nomad-quarkus/target/showcase-nomad-quarkus-0.1-runner.jar"
        jvm_options = [
          "-Xmx256m", "-Xms256m",
          "-Dquarkus.http.port=${NOMAD_PORT_http}",
          "-Dquarkus.http.header.TodoServer.value=${NOMAD_IP_http}:${NOMAD_PORT_http}",
          "-Dquarkus.http.header.TodoServer.path=/todo",
          "-Dquarkus.http.header.TodoServer.methods=GET",
          "-Dquarkus.http.header.TodoServerCanary.value=yes", # <1>
          "-Dquarkus.http.header.TodoServer.path=/todo",
          "-Dquarkus.http.header.TodoServer.methods=GET"
        ]
      }

      service {
        name = "todo"
        port = "http"

        tags = [
          "urlprefix-/todo",
        ]

        check {
          type     = "http"
          path     = "/"
          interval = "2s"
          timeout  = "2s"
        }
      }

      resources {
        memory = 256
      }
    }

    network {
      port "http" {}
    }
  }
}
