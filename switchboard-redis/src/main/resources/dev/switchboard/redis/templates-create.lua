-- Creates a template unless its id is taken or the store is full: one atomic step, so that of many creates at once
-- (on any node) exactly one wins and the count never passes the max.
--
-- KEYS[1]  the templates: a hash of id -> template as JSON
-- ARGV[1]  the id
-- ARGV[2]  the template as JSON
-- ARGV[3]  the most templates kept
-- Returns {1} when created, {0, the existing template's JSON} when the id is taken, {2} when full.

local existing = redis.call('HGET', KEYS[1], ARGV[1])
if existing then
  return { 0, existing }
end
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then
  return { 2 }
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return { 1 }
