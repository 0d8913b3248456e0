import { PropertiesServiceIdentity, ShellServiceIdentity, type IPropertiesService, type IShellService, type ServiceDefinition } from "@babylonjs/inspector";
import { IsNerfNode, NerfNodeProperties } from "./nerfNodeProperties";
import type { SanerfPlugin } from "../sanerfPlugin";
import { MakeSanerfPane } from "./sanerfPane";
import { SanerfIcon } from "./sanerfIcon";

/** Key of the plugin's side pane in the Inspector shell. */
export const SanerfPaneKey = "SANeRF-HQ";

/**
 * The Inspector (v2) service definitions the plugin adds: its side pane (and, as the pipeline
 * grows, explorer sections and property sections for its nodes).
 * @param plugin the plugin instance the services show
 * @param options whether to select the pane once added
 * @param options.selectPane select the plugin's pane once it is added
 * @returns service definitions for ShowInspector's `serviceDefinitions`
 */
export function MakeSanerfServiceDefinitions(plugin: SanerfPlugin, options: { selectPane: boolean }): ServiceDefinition<[], [IShellService]>[] {
    const paneService: ServiceDefinition<[], [IShellService]> = {
        friendlyName: "SANeRF-HQ pane",
        consumes: [ShellServiceIdentity],
        factory: (shell: IShellService) => {
            const registration = shell.addSidePane({
                key: SanerfPaneKey,
                title: "SANeRF-HQ",
                icon: SanerfIcon,
                content: MakeSanerfPane(plugin),
                horizontalLocation: "right",
                verticalLocation: "top",
                order: 50,
                teachingMoment: false,
                keepMounted: true,
            });
            if (options.selectPane) {
                shell.sidePanes.find((pane) => pane.key === SanerfPaneKey)?.select();
            }
            return { dispose: () => registration.dispose() };
        },
    };
    const nerfNodeService: ServiceDefinition<[], [IPropertiesService]> = {
        friendlyName: "SANeRF-HQ NeRF node properties",
        consumes: [PropertiesServiceIdentity],
        factory: (properties: IPropertiesService) => {
            const section = properties.addSection({ identity: "NeRF", order: -1 });
            const content = properties.addSectionContent({ key: "sanerf-nerf-node", predicate: IsNerfNode, content: [{ section: "NeRF", component: NerfNodeProperties }] });
            return { dispose: () => (content.dispose(), section.dispose()) };
        },
    };
    return [paneService, nerfNodeService] as ServiceDefinition<[], [IShellService]>[];
}
