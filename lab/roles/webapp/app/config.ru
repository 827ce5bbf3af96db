# Redmine 4.2.11 as deployed here is a Rack application run by Passenger.
# (trowel lab: the tree has Redmine's shape -- lib/redmine/version.rb,
# Gemfile.lock, config/*.yml, files/ -- and this small Rack app stands in for
# Rails, which cannot be installed offline. It answers from the database.)
require "mysql2"
require "yaml"
require_relative "lib/redmine/version"

DB = YAML.safe_load(File.read(File.join(__dir__, "config/database.yml")))["production"]

class RedmineFront
  def call(env)
    return [404, { "Content-Type" => "text/plain" }, ["Not Found\n"]] unless env["PATH_INFO"] == "/"
    issues = db.query("SELECT COUNT(*) AS n FROM issues").first["n"]
    body = <<~HTML
      <!DOCTYPE html>
      <html><head><title>Redmine</title></head>
      <body><h1>Redmine #{Redmine::VERSION}</h1><p>#{issues} issues. Support desk (webapp).</p></body></html>
    HTML
    [200, { "Content-Type" => "text/html; charset=utf-8" }, [body]]
  rescue Mysql2::Error => e
    @db = nil
    [503, { "Content-Type" => "text/plain" }, ["database unavailable: #{e.message}\n"]]
  end

  private

  # One connection per application process, kept open, as ActiveRecord does.
  def db
    @db ||= Mysql2::Client.new(host: DB["host"], port: DB["port"], username: DB["username"],
                               password: DB["password"], database: DB["database"], encoding: "utf8mb4")
  end
end

run RedmineFront.new
