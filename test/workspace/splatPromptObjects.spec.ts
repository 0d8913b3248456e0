import { SplatPromptObjects, StagePrompts } from "@plugin/workspace/splatPromptObjects";

describe("SplatPromptObjects (prompts on a splat scene's views)", () => {
    const views = [{ intrinsics: { width: 64, height: 48 } }, { intrinsics: { width: 64, height: 48 } }];

    it("keeps clicks and one box per object in order, undoes the last prompt, and hands them to the stage", () => {
        let changes = 0;
        const prompts = new SplatPromptObjects(() => views, () => changes++);
        expect(prompts.objects.length).toBe(1);
        expect(prompts.prompted.length).toBe(0);
        prompts.addClick(0, 10, 12, 1);
        prompts.setBox(1, { x0: 40, y0: 30, x1: 5, y1: 2 });
        prompts.setBox(1, { x0: 8, y0: 6, x1: 90, y1: 20 });
        prompts.addClick(1, -5, 100, 0);
        const object = prompts.activeObject;
        expect(object.clicks).toEqual([
            { view: 0, x: 10, y: 12, label: 1 },
            { view: 1, x: 0, y: 48, label: 0 },
        ]);
        // the later box replaces the earlier one, corners ordered and clamped to the view
        expect(object.box).toEqual({ view: 1, box: { x0: 8, y0: 6, x1: 64, y1: 20 } });
        expect(StagePrompts(object)).toEqual({
            clicks: [
                { frameIndex: 0, x: 10, y: 12, label: 1 },
                { frameIndex: 1, x: 0, y: 48, label: 0 },
            ],
            box: { frameIndex: 1, box: { x0: 8, y0: 6, x1: 64, y1: 20 } },
        });
        prompts.undo();
        prompts.undo();
        // undoing the second box brings the first back
        expect(prompts.activeObject.box).toEqual({ view: 1, box: { x0: 5, y0: 2, x1: 40, y1: 30 } });
        expect(prompts.activeObject.clicks.length).toBe(1);
        prompts.undo();
        prompts.undo();
        prompts.undo();
        expect(prompts.activeObject.prompts.length).toBe(0);
        expect(changes).toBeGreaterThan(8);
    });

    it("prompts the active object only, and stores results per object", () => {
        const prompts = new SplatPromptObjects(() => views, () => undefined);
        prompts.addClick(0, 1, 1, 1);
        const second = prompts.addObject();
        expect(prompts.activeObject.id).toBe(second.id);
        prompts.setBox(0, { x0: 1, y0: 1, x1: 9, y1: 9 });
        expect(prompts.prompted.map((object) => object.id)).toEqual([1, 2]);
        expect(prompts.objects[0].box).toBeNull();
        expect(prompts.objects[1].clicks).toEqual([]);
        const mask = { frameIndex: 0, valid: true, visibleFraction: 1, width: 64, height: 48, mask: new Uint8Array(64 * 48) };
        prompts.setResults(new Map([[2, { masks: [mask], splats: 17 }]]));
        expect(prompts.objects[1].splats).toBe(17);
        expect(prompts.objects[0].masks).toBeNull();
        prompts.clearPrompts();
        expect(prompts.prompted.length).toBe(0);
        expect(prompts.objects[1].masks).toBeNull();
        prompts.reset();
        expect(prompts.objects.map((object) => object.id)).toEqual([1]);
    });

    it("names a view that does not exist and a box without area", () => {
        let rendered: typeof views | null = null;
        const prompts = new SplatPromptObjects(() => rendered, () => undefined);
        expect(() => prompts.addClick(0, 1, 1, 1)).toThrowError(/view 0 does not exist \(render the views first\)/);
        rendered = views;
        expect(() => prompts.addClick(2, 1, 1, 1)).toThrowError(/view 2 does not exist \(the splat scene has views 0\.\.1\)/);
        expect(() => prompts.setBox(0, { x0: 70, y0: 1, x1: 90, y1: 20 })).toThrowError(/box on view 0 has no area inside the view/);
        expect(prompts.activeObject.prompts.length).toBe(0);
    });
});
