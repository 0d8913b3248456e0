console.error("generator page: not built yet");
