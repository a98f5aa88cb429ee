-- Replaces a template only if one with its id exists; never creates one.
--
-- KEYS[1]  the templates: a hash of id -> template as JSON
-- ARGV[1]  the id
-- ARGV[2]  the template as JSON
-- Returns 1 when replaced, 0 when there was none.

if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
