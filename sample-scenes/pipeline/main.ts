console.error("pipeline page: not built yet");
