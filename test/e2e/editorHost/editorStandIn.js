// The stand-in `editor` object and `babylonjs-editor` module (see editorHost.js for what they
// reproduce of the Babylon.js Editor), with the Editor's save and load of a scene's meshes.
/* global BABYLON, ReactDOMClient */
(function () {
    const preview = {
        canvas: document.getElementById("preview"),
        engine: null,
        scene: null,
        camera: null,
        gizmo: { attached: null, setAttachedObject(object) { this.attached = object; } },
        state: { pickingEnabled: true },
        setState(state) { Object.assign(this.state, state); },
    };

    /** A new WebGL2 engine and scene on the preview canvas, as EditorPreview.reset() makes them. */
    function resetPreview() {
        preview.scene?.dispose();
        preview.engine?.dispose();
        preview.engine = new BABYLON.Engine(preview.canvas, true, { antialias: true, preserveDrawingBuffer: true, stencil: true });
        const scene = new BABYLON.Scene(preview.engine);
        scene.clearColor = new BABYLON.Color4(0.13, 0.13, 0.15, 1);
        const camera = new BABYLON.FreeCamera("EditorCamera", new BABYLON.Vector3(0, 1.6, -3.4), scene);
        camera.setTarget(new BABYLON.Vector3(0, 0.1, 0));
        camera.attachControl(true);
        camera.minZ = 0.05;
        new BABYLON.HemisphericLight("light", new BABYLON.Vector3(0.2, 1, 0.1), scene);
        const ground = BABYLON.MeshBuilder.CreateGround("ground", { width: 6, height: 6 }, scene);
        ground.position.y = -0.2;
        // like the Editor, the preview picks explicitly (skip*Picking) and selects on click
        scene.skipPointerDownPicking = scene.skipPointerUpPicking = scene.skipPointerMovePicking = true;
        preview.scene = scene;
        preview.camera = camera;
        resumeRendering();
        return scene;
    }

    /** The preview's render loop (the Editor renders its preview continuously). */
    function resumeRendering() {
        preview.engine.stopRenderLoop();
        preview.engine.runRenderLoop(() => preview.scene.render());
    }

    const tabs = new Map();
    const layout = {
        preview,
        tabs,
        addLayoutTab(component, options) {
            this.removeLayoutTab(options.id);
            const element = document.createElement("section");
            element.dataset.tab = options.id;
            element.innerHTML = `<h3>${options.title}</h3>`;
            const body = document.createElement("div");
            element.appendChild(body);
            document.getElementById(options.neighborId === "inspector" ? "inspector-dock" : "dock").appendChild(element);
            const root = ReactDOMClient.createRoot(body);
            root.render(component);
            tabs.set(options.id, { element, root, options });
        },
        removeLayoutTab(id) {
            const tab = tabs.get(id);
            if (tab) {
                tab.root.unmount();
                tab.element.remove();
                tabs.delete(id);
            }
        },
        graph: { refreshes: 0, selected: null, async refresh() { this.refreshes++; }, setSelectedNode(node) { this.selected = node; } },
        inspector: { edited: null, setEditedObject(object) { this.edited = object; } },
        console: { messages: [], log(m) { this.messages.push(["log", String(m)]); }, warn(m) { this.messages.push(["warn", String(m)]); }, error(m) { this.messages.push(["error", String(m)]); } },
    };

    /** The Editor's isMesh guard (tools/guards/nodes.ts): the class name decides. */
    const isMesh = (mesh) => ["Mesh", "GroundMesh"].includes(mesh.getClassName());

    /**
     * The Editor's save of a scene's meshes (project/save/scene.ts): SceneSerializer.SerializeMesh
     * plus the mesh's metadata, one JSON per mesh, then onProjectSavedObservable.
     */
    async function saveProject() {
        const saved = [];
        for (const mesh of preview.scene.meshes.filter((m) => isMesh(m) && m.name !== "ground")) {
            const data = BABYLON.SceneSerializer.SerializeMesh(mesh, false, false);
            data.meshes[0].metadata = mesh.metadata;
            const file = `/project/demo/scenes/demo.scene/meshes/${encodeURIComponent(mesh.id)}.json`;
            await window.editorHost.put(file, JSON.stringify(data));
            saved.push(file);
        }
        await window.editorHost.put("/project/demo/scenes/demo.scene/meshes.json", JSON.stringify(saved));
        editorModule.onProjectSavedObservable.notifyObservers();
        return saved;
    }

    /** The Editor's open of a scene (EditorPreview.reset(), then each saved mesh imported as a plain mesh). */
    async function reopenProject() {
        const scene = resetPreview();
        const files = await (await fetch("/project/demo/scenes/demo.scene/meshes.json")).json();
        for (const file of files) {
            const text = await (await fetch(file)).text();
            await BABYLON.ImportMeshAsync(`data:${text}`, scene, { pluginExtension: ".babylon" });
        }
        return files.length;
    }

    const editorModule = { onProjectSavedObservable: new BABYLON.Observable(), onNodesAddedObservable: new BABYLON.Observable() };
    const editor = { layout, state: { projectPath: "/project/demo/demo.bjseditor" } };
    resetPreview();
    Object.assign(window.editorHost, { editor, editorModule, saveProject, reopenProject, isMesh, resumeRendering });
})();
