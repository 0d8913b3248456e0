import { PriorityTaskQueue } from "@workers/priorityTaskQueue";

describe("PriorityTaskQueue (the SAM worker's scheduler)", () => {
    it("runs one task at a time and lets a waiting decode go before waiting encodes", async () => {
        const queue = new PriorityTaskQueue();
        const order: string[] = [];
        let running = 0;
        let overlap = false;
        const task = (name: string) => async () => {
            running++;
            overlap ||= running > 1;
            await new Promise((resolve) => setTimeout(resolve, 20));
            order.push(name);
            running--;
            return name;
        };
        const results = await Promise.all([queue.runAsync("low", task("encode 1")), queue.runAsync("low", task("encode 2")), queue.runAsync("low", task("encode 3")), queue.runAsync("high", task("decode"))]);
        expect(results).toEqual(["encode 1", "encode 2", "encode 3", "decode"]);
        expect(order).toEqual(["encode 1", "decode", "encode 2", "encode 3"]);
        expect(overlap).toBeFalse();
    });

    it("keeps going after a failing task", async () => {
        const queue = new PriorityTaskQueue();
        await expectAsync(queue.runAsync("low", async () => Promise.reject(new Error("broken model")))).toBeRejectedWithError("broken model");
        expect(await queue.runAsync("high", async () => 7)).toBe(7);
    });
});
