# Seed 003, "Service Discovery"/"Load-balancing": todo with the service block (urlprefix-/todo tag for Fabio, http check) and the TodoServer header showing ${NOMAD_IP_http}:${NOMAD_PORT_http}.
job "todo" {
  datacenters = ["dc1"]

  group "web" {
    count = 5

    task "todo" {
      driver = "java"

      config {
        jar_path = "/Users/christoph.kappel/Projects/showcase-nomad-quarkus/target/showcase-nomad-quarkus-0.1-runner.jar"
        jvm_options = [
          "-Xmx256m", "-Xms256m",
          "-Dquarkus.http.port=${NOMAD_PORT_http}",
          "-Dquarkus.http.header.TodoServer.value=${NOMAD_IP_http}:${NOMAD_PORT_http}", # <1>
          "-Dquarkus.http.header.TodoServer.path=/todo",
          "-Dquarkus.http.header.TodoServer.methods=GET"
        ]
      }

      service {
        name = "todo"
        port = "http"

        tags = [
          "urlprefix-/todo", # <1>
        ]

        check { # <2>
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
