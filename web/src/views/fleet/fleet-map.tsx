/**
 * The fleet as a heat map: sites › racks › domains › nodes, one tile per node and one
 * cell per device, the cell filled in the device type's colour as far as it is held.
 * The tile's frame shows the node's category (free, busy, fractional, cordoned, down).
 * Hovering (or focusing) a node shows its devices and jobs. `highlight` marks the nodes
 * and devices of one job (the job page).
 */
import { useState } from "preact/hooks";
import { useApp } from "../../context.ts";
import { shortType } from "../../format.ts";
import { linkClick, withLang } from "../../router.ts";
import type { FleetNode } from "../../types.ts";
import { groupNodes, nodeCategory, typeColor } from "./node-state.ts";

export interface FleetMapProps {
  readonly nodes: readonly FleetNode[];
  /** Node id → device indices to mark. */
  readonly highlight?: ReadonlyMap<string, readonly number[]>;
}

function NodeTile(props: {
  node: FleetNode;
  marked?: readonly number[];
  onHover: (n: FleetNode | null) => void;
  onPin: (id: string) => void;
}) {
  const n = props.node;
  const color = typeColor(n.deviceType);
  const cat = nodeCategory(n);
  return (
    <button
      type="button"
      class={`node ${cat}${props.marked ? " marked" : ""}`}
      data-node={n.id}
      data-category={cat}
      aria-label={n.id}
      onMouseEnter={() => props.onHover(n)}
      onFocus={() => props.onHover(n)}
      onMouseLeave={() => props.onHover(null)}
      onClick={() => props.onPin(n.id)}
    >
      {n.free.map((f, i) => (
        <span
          key={i}
          class={`dev${props.marked?.includes(i) ? " mark" : ""}`}
          style={{
            background: `color-mix(in srgb, ${color} ${Math.round((1 - f) * 100)}%, #f3f4f6)`,
          }}
        />
      ))}
      {n.devices === 0 && <span class="cpu">cpu</span>}
    </button>
  );
}

function NodeDetail(props: { node: FleetNode }) {
  const { t } = useApp();
  const n = props.node;
  return (
    <div class="node-detail card" data-detail={n.id}>
      <h3>
        {n.id} <small>{shortType(n.deviceType)}</small>
      </h3>
      <p>
        {n.site} › {n.rack} › {n.domain}
      </p>
      <p>
        {t("fleet.node.state", { state: t(`fleet.state.${nodeCategory(n)}`) })}
        {n.reason ? ` (${n.reason})` : ""}
      </p>
      <h4>{t("fleet.node.devices")}</h4>
      {n.devices === 0 ? (
        <p>{t("fleet.cpuOnly")}</p>
      ) : (
        <ul class="devs">
          {n.free.map((f, i) => (
            <li key={i}>{t("fleet.node.device", { i, pct: Math.round((1 - f) * 100) })}</li>
          ))}
        </ul>
      )}
      <h4>{t("fleet.node.jobs")}</h4>
      {n.jobs.length === 0 ? (
        <p>{t("fleet.node.noJobs")}</p>
      ) : (
        <p class="job-links">
          {n.jobs.map((id) => (
            <a key={id} href={withLang(`/jobs/${id}`)} onClick={linkClick}>
              #{id}
            </a>
          ))}
        </p>
      )}
    </div>
  );
}

export function FleetMap(props: FleetMapProps) {
  const { t } = useApp();
  const [hover, setHover] = useState<FleetNode | null>(null);
  const [pinned, setPinned] = useState<string | null>(null);
  const byId = new Map(props.nodes.map((n) => [n.id, n]));
  const shown = hover ?? (pinned !== null ? byId.get(pinned) : undefined);
  const sites = groupNodes(props.nodes);
  return (
    <div class="fleet-map">
      <div class="sites">
        {[...sites].map(([site, racks]) => (
          <section key={site} class="site">
            <h3>{t("fleet.site", { id: site })}</h3>
            <div class="racks">
              {[...racks].map(([rack, domains]) => (
                <div key={rack} class="rack">
                  <h4>{t("fleet.rack", { id: rack })}</h4>
                  {[...domains].map(([domain, nodes]) => (
                    <div key={domain} class="domain" title={t("fleet.domain", { id: domain })}>
                      {nodes.map((n) => (
                        <NodeTile
                          key={n.id}
                          node={n}
                          marked={props.highlight?.get(n.id)}
                          onHover={setHover}
                          onPin={setPinned}
                        />
                      ))}
                    </div>
                  ))}
                </div>
              ))}
            </div>
          </section>
        ))}
      </div>
      <aside class="detail-pane">
        {shown ? <NodeDetail node={byId.get(shown.id) ?? shown} /> : null}
      </aside>
    </div>
  );
}

/** The legend: device-type colours and node categories. */
export function FleetLegend(props: { types: readonly string[] }) {
  const { t } = useApp();
  return (
    <div class="legend">
      {props.types.map((ty) => (
        <span key={ty} class="swatch">
          <i style={{ background: typeColor(ty) }} />
          {ty}
        </span>
      ))}
      {(["free", "busy", "fractional", "cordoned", "draining", "down"] as const).map((c) => (
        <span key={c} class={`swatch cat ${c}`}>
          <i />
          {t(`fleet.state.${c}`)}
        </span>
      ))}
    </div>
  );
}
