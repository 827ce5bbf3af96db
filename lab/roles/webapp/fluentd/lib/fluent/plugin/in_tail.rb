require "time"

module Fluent
  module Plugin
    # in_tail: follows a file by name (rotation and truncation included) and
    # emits each new line. How far it has read is kept in pos_file, in
    # fluentd's format: "path<TAB>offset<TAB>inode", both 16 hex digits. A
    # file with no recorded position is read from its end, as fluentd does
    # unless read_from_head is set.
    class TailInput
      APACHE2 = /\A(?<host>[^ ]*) [^ ]* (?<user>[^ ]*) \[(?<time>[^\]]*)\] "(?<method>\S+)(?: +(?<path>(?:[^"]|\\.)*?)(?: +\S*)?)?" (?<code>[^ ]*) (?<size>[^ ]*)(?: "(?<referer>(?:[^"]|\\.)*)" "(?<agent>(?:[^"]|\\.)*)")?\z/.freeze

      def initialize(conf, router)
        @router = router
        @path = conf.fetch("path")
        @tag = conf.fetch("tag")
        @pos_file = conf["pos_file"]
        @from_head = Config.bool(conf["read_from_head"], false)
        @interval = Config.duration(conf["refresh_interval"], 1)
        parse = conf.section("parse")
        @format = parse ? parse.fetch("@type") : "none"
        unless %w[none apache2].include?(@format)
          raise ConfigError, "unknown parser plugin '#{@format}'"
        end
      end

      def start
        @offset, @inode = load_pos
        @thread = Thread.new { loop { poll; sleep @interval } }
        $log.info "following tail of #{@path}"
      end

      def shutdown
        @thread&.kill
        @io&.close
      end

      private

      def poll
        st = File.stat(@path)
        if @io.nil? || st.ino != @inode || st.size < @offset
          @io&.close
          @io = File.open(@path, "rb")
          if st.ino == @inode && @offset <= st.size
            @io.seek(@offset)
          elsif @inode.nil? && !@from_head
            @io.seek(0, IO::SEEK_END)
          end
          @inode = st.ino
          @offset = @io.pos
          save_pos
        end
        moved = false
        while (line = @io.gets)
          break unless line.end_with?("\n")
          emit(line.chomp)
          @offset = @io.pos
          moved = true
        end
        @io.seek(@offset)
        save_pos if moved
      rescue Errno::ENOENT
        @io&.close
        @io = nil
      rescue StandardError => e
        $log.warn "in_tail #{@path}: #{e.class}: #{e.message}"
      end

      def emit(line)
        if @format == "apache2" && (m = APACHE2.match(line))
          rec = m.named_captures
          time = (Time.strptime(rec.delete("time"), "%d/%b/%Y:%H:%M:%S %z").to_i rescue Time.now.to_i)
          rec["code"] = rec["code"].to_i
          rec["size"] = rec["size"] == "-" ? nil : rec["size"].to_i
          @router.emit(@tag, time, rec)
        else
          @router.emit(@tag, Time.now.to_i, { "message" => line })
        end
      end

      def load_pos
        return [0, nil] unless @pos_file && File.exist?(@pos_file)
        File.foreach(@pos_file) do |l|
          path, off, ino = l.chomp.split("\t")
          return [off.to_i(16), ino.to_i(16)] if path == @path
        end
        [0, nil]
      end

      def save_pos
        return unless @pos_file
        tmp = "#{@pos_file}.tmp"
        File.write(tmp, format("%s\t%016x\t%016x\n", @path, @offset, @inode))
        File.rename(tmp, @pos_file)
      end
    end
  end
end
