class Issue; end
