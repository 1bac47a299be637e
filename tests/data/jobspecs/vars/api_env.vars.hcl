# Values for api_env.nomad.hcl: a list, a map, an object, a bool, and an
# override of a variable that has a default.
datacenters = ["eu-central-1a", "eu-central-1b"]

env_vars = {
  LOG_LEVEL    = "debug"
  DATABASE_URL = "postgres://accounts@db.service.consul:5432/accounts"
}

sizing = {
  count  = 3
  cpu    = 400
  memory = 384
}

public = true
image  = "registry.example.com/accounts-api:1.4.2"
