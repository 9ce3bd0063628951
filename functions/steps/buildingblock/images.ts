import type { Agent } from '../../../apis/openstack/buildingblock.js';
import type { Block } from './names.js';

/**
 * The image an agent runs. The platform chooses (the Composition input's agent type); a block may
 * pick only among the images the input allows for that agent, compared exactly: a registry or a
 * repository prefix would admit whatever anyone pushes there later.
 */
export function agentImage(b: Block, agent: Agent): string {
  return agent.image ?? b.input.agentTypes[agent.name]!.image;
}

/** Why an agent's image is refused, naming the field and the fix; undefined when every image is allowed. */
export function refusedImage(b: Block): string | undefined {
  for (const [index, agent] of b.spec.agents.entries()) {
    const type = b.input.agentTypes[agent.name];
    if (agent.image === undefined || type === undefined) continue;
    if (agent.image === type.image || type.allowedImages.includes(agent.image)) continue;
    const others = type.allowedImages.length > 0 ? `, or pick one of: ${type.allowedImages.join(', ')}` : '';
    return (
      `spec.agents[${index}].image: "${agent.image}" is not an image the platform allows for ` +
      `${agent.name}; remove it to run ${type.image}${others} (allowedImages of the Composition input)`
    );
  }
  return undefined;
}
