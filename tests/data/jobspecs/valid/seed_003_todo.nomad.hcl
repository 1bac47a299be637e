# Seed 003, first job file "todo" (java driver, static port 8080, # <n> callout comments). Fixed: `port "http" `` had a stray backtick instead of `{` (broken original: invalid/seed_003_todo_backtick.nomad.hcl).
job "todo" {
  datacenters = ["dc1"] # <1>

  group "web" { # <2>
    count = 1 # <3>

    task "todo" { # <4>
      driver = "java" # <5>

      config { # <6>
        jar_path = "/Users/christoph.kappel/Projects/showcase-nomad-quarkus/target/showcase-nomad-quarkus-0.1-runner.jar"
        jvm_options = ["-Xmx256m", "-Xms256m"]
      }

      resources { # <7>
        memory = 256
      }
    }

    network { # <8>
      port "http" {
        static = 8080
      }
    }
  }
}
