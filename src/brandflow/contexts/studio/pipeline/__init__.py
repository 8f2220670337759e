"""The generation job: retrieve, guard, prompt, generate (metered, streamed), check, save."""
