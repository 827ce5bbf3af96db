module Fluent
  class ConfigError < StandardError; end

  # One <name arg> ... </name> section of fluentd's configuration syntax: its
  # parameters (key value, "@type" among them) and nested sections.
  class Element
    attr_reader :name, :arg, :params, :elements

    def initialize(name, arg)
      @name, @arg, @params, @elements = name, arg, {}, []
    end

    def [](key)
      @params[key]
    end

    def fetch(key)
      @params.fetch(key) { raise ConfigError, "<#{@name}> needs '#{key}'" }
    end

    def section(name)
      @elements.find { |e| e.name == name }
    end

    def sections(name)
      @elements.select { |e| e.name == name }
    end
  end

  # Parses the subset of fluentd's syntax this stand-in needs: sections,
  # "key value" lines, comments, quoted values. Not @include, not ruby
  # embedding.
  module Config
    def self.parse(text, path)
      root = Element.new("ROOT", "")
      stack = [root]
      text.each_line.with_index(1) do |raw, n|
        line = raw.sub(/(^|\s)#.*/, "").strip
        next if line.empty?
        if (m = line.match(%r{\A</(\w+)>\z}))
          if stack.size == 1 || stack.last.name != m[1]
            raise ConfigError, "#{path}:#{n}: unexpected </#{m[1]}>"
          end
          stack.pop
        elsif (m = line.match(/\A<(\w+)(?:\s+(.*?))?\s*>\z/))
          e = Element.new(m[1], m[2].to_s)
          stack.last.elements << e
          stack << e
        elsif (m = line.match(/\A(@?[\w.]+)(?:\s+(.*))?\z/))
          stack.last.params[m[1]] = unquote(m[2].to_s)
        else
          raise ConfigError, "#{path}:#{n}: cannot parse #{line.inspect}"
        end
      end
      raise ConfigError, "#{path}: <#{stack.last.name}> is not closed" if stack.size > 1
      root
    end

    def self.unquote(v)
      v =~ /\A"(.*)"\z/ ? $1.gsub(/\\(.)/, '\1') : v
    end

    # "5s", "1m", "30" -> seconds
    def self.duration(v, default)
      return default if v.nil? || v.empty?
      m = v.match(/\A(\d+(?:\.\d+)?)([smhd]?)\z/) or raise ConfigError, "bad time value #{v.inspect}"
      m[1].to_f * { "" => 1, "s" => 1, "m" => 60, "h" => 3600, "d" => 86_400 }[m[2]]
    end

    def self.bool(v, default)
      return default if v.nil? || v.empty?
      %w[true yes 1].include?(v.downcase)
    end
  end
end
