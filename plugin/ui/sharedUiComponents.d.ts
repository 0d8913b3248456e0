// Ambient types for the parts of @babylonjs/shared-ui-components that @babylonjs/inspector 9.28
// re-exports at runtime but ships no declarations for (the package is bundled, not published).
// Only what this plugin uses is declared; shapes were read from the inspector's shipped JS.
// No top-level import/export: these augment the module paths the inspector's .d.ts re-export.

declare module "@babylonjs/shared-ui-components/modularTool/modularity/serviceDefinition.js" {
    /** A service contract marker. */
    export interface IService<T extends symbol> {
        readonly __serviceIdentity?: T;
    }
    /** A service: factory arguments arrive in the order of `consumes`. */
    export interface ServiceDefinition<_Produces extends unknown[] = [], Consumes extends unknown[] = []> {
        friendlyName: string;
        produces?: symbol[];
        consumes?: symbol[];
        factory: (...services: Consumes) => { dispose?: () => void } | void;
    }
}

declare module "@babylonjs/shared-ui-components/modularTool/services/shellService.js" {
    import type { ComponentType } from "react";
    export type HorizontalLocation = "left" | "right";
    export type VerticalLocation = "top" | "bottom";
    export interface SidePaneDefinition {
        key: string;
        title: string;
        icon: ComponentType;
        content: ComponentType;
        horizontalLocation: HorizontalLocation;
        verticalLocation: VerticalLocation;
        order?: number;
        teachingMoment?: false | { title: string; description: string };
        keepMounted?: boolean;
    }
    export interface ToolbarItemDefinition {
        key: string;
        component: ComponentType;
        horizontalLocation: HorizontalLocation;
        verticalLocation: VerticalLocation;
        order?: number;
        displayName?: string;
        teachingMoment?: false | { title: string; description: string };
    }
    export interface IShellService {
        addSidePane(definition: SidePaneDefinition): { dispose(): void };
        addToolbarItem(definition: ToolbarItemDefinition): { dispose(): void };
        readonly sidePanes: readonly { key: string; select(): void }[];
    }
    export type CentralContentDefinition = unknown;
    export type ShellServiceOptions = unknown;
    export const ShellServiceIdentity: unique symbol;
}

declare module "@babylonjs/shared-ui-components/fluent/primitives/button.js" {
    import type { ComponentType, FunctionComponent } from "react";
    export const Button: FunctionComponent<{
        label?: string;
        icon?: ComponentType;
        title?: string;
        disabled?: boolean;
        appearance?: "primary" | "secondary" | "subtle" | "transparent" | "outline";
        onClick?: () => unknown;
    }>;
}

declare module "@babylonjs/shared-ui-components/fluent/primitives/messageBar.js" {
    import type { FunctionComponent } from "react";
    export const MessageBar: FunctionComponent<{ message: string; title?: string; intent: "info" | "success" | "warning" | "error" }>;
}

declare module "@babylonjs/shared-ui-components/fluent/hoc/propertyLines/textPropertyLine.js" {
    import type { FunctionComponent } from "react";
    export const TextPropertyLine: FunctionComponent<{ label: string; value: string; description?: string }>;
}

declare module "@babylonjs/shared-ui-components/fluent/hoc/propertyLines/switchPropertyLine.js" {
    import type { FunctionComponent } from "react";
    export const SwitchPropertyLine: FunctionComponent<{ label: string; value: boolean; onChange: (value: boolean) => void; description?: string; disabled?: boolean }>;
}

declare module "@babylonjs/shared-ui-components/fluent/hoc/propertyLines/syncedSliderPropertyLine.js" {
    import type { FunctionComponent } from "react";
    export const SyncedSliderPropertyLine: FunctionComponent<{ label: string; value: number; onChange: (value: number) => void; min?: number; max?: number; step?: number; description?: string }>;
}

declare module "@babylonjs/shared-ui-components/fluent/hoc/buttonLine.js" {
    import type { FunctionComponent } from "react";
    export const ButtonLine: FunctionComponent<{ label: string; onClick: () => unknown; disabled?: boolean; title?: string }>;
}

declare module "@babylonjs/shared-ui-components/modularTool/hooks/observableHooks.js" {
    import type { IReadonlyObservable } from "@babylonjs/core/Misc/observable.js";
    export function useObservableState<T>(accessor: () => T, ...observables: (IReadonlyObservable<unknown> | null | undefined)[]): T;
}

declare module "@babylonjs/shared-ui-components/modularTool/components/extensibleAccordion.js" {
    import type { ComponentType } from "react";
    export interface DynamicAccordionSection {
        identity: string;
        order?: number;
        collapseByDefault?: boolean;
    }
    export interface DynamicAccordionSectionContent<EntityT> {
        key: string;
        section: string;
        order?: number;
        component: ComponentType<{ context: EntityT }>;
    }
}
