"""A kit's rules for one channel, compiled once and cached by the kit's content.

Compiling a kit (a regex per term, name, trigger and disclaimer; tokens per approved claim)
costs far more than checking a body with it, and a kit changes rarely. The cache key is the
kit's canonical JSON and the channel, so two loads of the same kit version share an entry
and a new version never meets a stale one. Bounded (LRU) and thread-safe: checks run in
worker threads.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from brandflow.contexts.brand_kit.public import BrandKit
from brandflow.contexts.campaigns.public import Channel
from brandflow.contexts.studio.checks.banned_terms import BannedRule, compile_banned
from brandflow.contexts.studio.checks.claims import ApprovedClaims, compile_claims
from brandflow.contexts.studio.checks.competitors import CompetitorName, compile_competitors
from brandflow.contexts.studio.checks.disclaimers import DisclaimerRule, compile_disclaimers

CACHE_SIZE = 256  # kits x channels


@dataclass(frozen=True, slots=True)
class CompiledRules:
    channel: Channel
    banned: tuple[BannedRule, ...]
    competitors: tuple[CompetitorName, ...]
    disclaimers: tuple[DisclaimerRule, ...]
    claims: ApprovedClaims

    @property
    def rules_count(self) -> int:
        competitors = {name.rule.index for name in self.competitors}
        return len(self.banned) + len(competitors) + len(self.disclaimers) + (len(self.claims) > 0)


def compile_rules(kit: BrandKit, channel: Channel) -> CompiledRules:
    return CompiledRules(
        channel=channel,
        banned=compile_banned(kit, channel),
        competitors=compile_competitors(kit),
        disclaimers=compile_disclaimers(kit, channel),
        claims=compile_claims(kit),
    )


_cache: OrderedDict[tuple[str, Channel], CompiledRules] = OrderedDict()
_lock = threading.Lock()


def compiled_rules(kit: BrandKit, channel: Channel) -> CompiledRules:
    key = (kit.model_dump_json(), channel)
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    rules = compile_rules(kit, channel)  # outside the lock: two threads may both compile once
    with _lock:
        _cache[key] = rules
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return rules
