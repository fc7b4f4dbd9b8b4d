// An evaluator of ECR lifecycle policies, written from ECR's documented
// evaluation rules, and a simulator of the repository a publisher's workflow
// fills, build after build. The tests use both to prove which images survive
// the synthesized policy (the JSON the template carries, not the CDK objects).
//
// The rules it implements (Amazon ECR User Guide, "Lifecycle policy evaluation
// rules" and "Lifecycle policy parameters"):
// - every rule selects its images at the same time, regardless of priority;
//   then the rules are applied by priority, lowest number first;
// - an image is expired by exactly one or zero rules;
// - an image that matches the tagging requirements of a rule cannot be expired
//   by a rule of lower priority, but lower rules still count it;
// - `tagPrefixList`/`tagPatternList` match when every entry of the list
//   matches one of the image's tags (`*` in a pattern is any run of characters);
// - `imageCountMoreThan` keeps the newest N of the images the rule selects
//   (by push time) and marks the rest; `sinceImagePushed` marks images pushed
//   more than N days ago;
// - an image referenced by a manifest list is not expired while the list stays;
// - reference artifacts (signatures, with a `subject`) are expired after their
//   subject image is ("within 24 hours": here at once).
// ECR does not document whether a rule also selects a reference artifact
// itself (an untagged manifest) while its subject stays; public reports say an
// `any` count rule counts signatures. The evaluator takes the conservative
// case: signatures are untagged images that untagged and `any` rules count and
// may expire like any other.

/** One rule of a lifecycle policy, as ECR reads it. */
export interface PolicyRule {
  readonly rulePriority: number;
  readonly description?: string;
  readonly selection: {
    readonly tagStatus: 'tagged' | 'untagged' | 'any';
    readonly tagPrefixList?: string[];
    readonly tagPatternList?: string[];
    readonly countType: 'imageCountMoreThan' | 'sinceImagePushed';
    readonly countUnit?: 'days';
    readonly countNumber: number;
  };
  readonly action: { readonly type: 'expire' };
}

/** What an image (a manifest or a manifest list in ECR's terms) is, for the tests' verdicts. */
export type ImageKind = 'image' | 'index' | 'platform' | 'attestation' | 'cache' | 'signature';

export interface RegistryImage {
  readonly digest: string;
  readonly kind: ImageKind;
  /** Push time in days since the simulation started. */
  readonly pushedAt: number;
  /** Tags; they move from image to image as the workflow re-pushes them. */
  tags: string[];
  /** Digests a manifest list references (its platform and attestation manifests). */
  readonly children?: string[];
  /** The image a reference artifact (a signature) is about. */
  readonly subject?: string;
  /** The build that pushed it (0, 1, ...). */
  readonly build: number;
}

const DAY = 1;

function tagMatches(pattern: string, tag: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(tag);
}

/** Whether the image meets the rule's tagging requirements (tag status and lists). */
function meetsTagging(rule: PolicyRule, image: RegistryImage): boolean {
  const { tagStatus, tagPrefixList, tagPatternList } = rule.selection;
  if (tagStatus === 'any') {
    return true;
  }
  if (tagStatus === 'untagged') {
    return image.tags.length === 0;
  }
  if (image.tags.length === 0) {
    return false;
  }
  if (tagPrefixList) {
    return tagPrefixList.every((prefix) => image.tags.some((t) => t.startsWith(prefix)));
  }
  if (tagPatternList) {
    return tagPatternList.every((pattern) => image.tags.some((t) => tagMatches(pattern, t)));
  }
  throw new Error(`rule ${rule.rulePriority}: a tagged rule needs tagPrefixList or tagPatternList (ECR rejects it)`);
}

/** The images a rule marks, before priorities are applied. */
function marked(rule: PolicyRule, images: RegistryImage[], now: number): RegistryImage[] {
  const selected = images.filter((i) => meetsTagging(rule, i));
  const { countType, countNumber } = rule.selection;
  if (countType === 'imageCountMoreThan') {
    // Youngest first; ties (one push of several manifests) keep their push order, newest last pushed first.
    const youngestFirst = [...selected].sort((a, b) => b.pushedAt - a.pushedAt || images.indexOf(b) - images.indexOf(a));
    return youngestFirst.slice(countNumber);
  }
  return selected.filter((i) => now - i.pushedAt > countNumber * DAY);
}

/** Checks the grammar ECR enforces on a policy, so that the tests never evaluate a policy ECR would refuse. */
export function checkPolicyGrammar(rules: PolicyRule[]): void {
  const priorities = new Set<number>();
  let untagged = 0;
  const maxPriority = Math.max(...rules.map((r) => r.rulePriority));
  for (const rule of rules) {
    if (priorities.has(rule.rulePriority)) {
      throw new Error(`rulePriority ${rule.rulePriority} is used twice`);
    }
    priorities.add(rule.rulePriority);
    const { tagStatus, tagPatternList, tagPrefixList, countNumber } = rule.selection;
    if (tagStatus === 'untagged' && ++untagged > 1) {
      throw new Error('only one rule may select untagged images');
    }
    if (tagStatus === 'any' && rule.rulePriority !== maxPriority) {
      throw new Error('a rule with tagStatus any must have the highest rulePriority');
    }
    if (tagStatus === 'tagged' && !tagPatternList && !tagPrefixList) {
      throw new Error('a tagged rule needs tagPrefixList or tagPatternList');
    }
    if (tagStatus !== 'tagged' && (tagPatternList || tagPrefixList)) {
      throw new Error('only tagged rules take tag lists');
    }
    if ((tagPatternList ?? []).some((p) => (p.match(/\*/g) ?? []).length > 4)) {
      throw new Error('a tag pattern has more than four wildcards');
    }
    if (!Number.isInteger(countNumber) || countNumber < 1) {
      throw new Error(`countNumber ${countNumber} is not a positive integer`);
    }
  }
}

/** The digests a lifecycle evaluation expires from the repository at day `now`. */
export function evaluateLifecyclePolicy(rules: PolicyRule[], images: RegistryImage[], now: number): Set<string> {
  checkPolicyGrammar(rules);
  const byPriority = [...rules].sort((a, b) => a.rulePriority - b.rulePriority);
  const marks = new Map(byPriority.map((r) => [r, new Set(marked(r, images, now).map((i) => i.digest))]));
  const expired = new Set<string>();
  for (const image of images) {
    // The first rule (by priority) whose tagging requirements the image meets decides: it
    // expires the image if it marked it; rules below it cannot expire it.
    const decider = byPriority.find((r) => meetsTagging(r, image));
    if (decider && marks.get(decider)!.has(image.digest)) {
      expired.add(image.digest);
    }
  }
  // A manifest list that stays keeps every manifest it references.
  for (const image of images) {
    if (!expired.has(image.digest)) {
      (image.children ?? []).forEach((c) => expired.delete(c));
    }
  }
  // Reference artifacts go with their subject.
  let grew = true;
  while (grew) {
    grew = false;
    for (const image of images) {
      const subjectGone = image.subject !== undefined && (expired.has(image.subject) || !images.some((i) => i.digest === image.subject));
      if (subjectGone && !expired.has(image.digest)) {
        expired.add(image.digest);
        grew = true;
      }
    }
  }
  return expired;
}

/** The rules of a synthesized `AWS::ECR::Repository` (its `LifecyclePolicy.LifecyclePolicyText`). */
export function rulesOfTemplate(repositoryResource: { Properties?: { LifecyclePolicy?: { LifecyclePolicyText?: unknown } } }): PolicyRule[] {
  const text = repositoryResource.Properties?.LifecyclePolicy?.LifecyclePolicyText;
  if (typeof text !== 'string') {
    throw new Error('the repository has no literal lifecycle policy text');
  }
  return (JSON.parse(text) as { rules: PolicyRule[] }).rules;
}

/** What one run of the workflow pushes. */
export interface Build {
  /** The tags the run pushes (they move from older images). */
  readonly tags: string[];
  /** Platforms of the image; 1 without attestations pushes a single manifest. Default 1. */
  readonly platforms?: number;
  /** An attestation manifest per platform, in the manifest list (BuildKit's default provenance, or SBOM/provenance max). Default true. */
  readonly attestations?: boolean;
  /** Tag of the registry build cache the run writes (its previous manifest loses the tag). */
  readonly cacheTag?: string;
  /** A signature (reference artifact) of the manifest list and of each platform manifest. */
  readonly signed?: boolean;
  /** Days after the previous run. Default 1. */
  readonly daysLater?: number;
}

/** A repository filled run after run, with the lifecycle policy applied after each run (its worst case). */
export class SimulatedRepository {
  public images: RegistryImage[] = [];
  /** Images the lifecycle policy expired, in order. */
  public readonly expiredImages: RegistryImage[] = [];
  private day = 0;
  private builds = 0;
  private counter = 0;

  constructor(private readonly rules: PolicyRule[]) {}

  /** Pushes what one run pushes, then applies the lifecycle policy. */
  public push(build: Build): void {
    this.add(build);
    this.applyLifecycle();
  }

  /** The day of the last run. */
  public get now(): number {
    return this.day;
  }

  /** Pushes what one run pushes, without applying the lifecycle policy. */
  public add(build: Build): void {
    this.day += build.daysLater ?? 1;
    const number = this.builds++;
    const platforms = build.platforms ?? 1;
    const attestations = build.attestations ?? true;
    const pushed: RegistryImage[] = [];
    const add = (kind: ImageKind, extra: Partial<RegistryImage> = {}): RegistryImage => {
      const image: RegistryImage = { digest: `sha256:${kind}-${number}-${this.counter++}`, kind, pushedAt: this.day, tags: [], build: number, ...extra };
      pushed.push(image);
      return image;
    };
    const manifests: RegistryImage[] = [];
    let top: RegistryImage;
    if (platforms === 1 && !attestations) {
      top = add('image');
      manifests.push(top);
    } else {
      const children: RegistryImage[] = [];
      for (let p = 0; p < platforms; p++) {
        const platform = add('platform');
        manifests.push(platform);
        children.push(platform);
        if (attestations) {
          children.push(add('attestation'));
        }
      }
      top = add('index', { children: children.map((c) => c.digest) });
      manifests.push(top);
    }
    this.retag(top, build.tags);
    if (build.cacheTag) {
      this.retag(add('cache'), [build.cacheTag]);
    }
    if (build.signed) {
      manifests.forEach((m) => add('signature', { subject: m.digest }));
    }
    this.images.push(...pushed);
  }

  /** The tagged images (manifest lists or single manifests) whose manifests are all present, oldest first. */
  public deployable(): RegistryImage[] {
    return this.images.filter((i) => (i.kind === 'image' || i.kind === 'index') && i.tags.length > 0 && this.isComplete(i));
  }

  /** The current cache manifest, if any. */
  public cache(tag: string): RegistryImage | undefined {
    return this.images.find((i) => i.kind === 'cache' && i.tags.includes(tag));
  }

  /** An image is deployable when it, every manifest it references and (if signing) their signatures are present. */
  public isComplete(image: RegistryImage, signed = false): boolean {
    const present = (digest: string) => this.images.some((i) => i.digest === digest);
    const parts = [image.digest, ...(image.children ?? [])];
    if (!parts.every(present)) {
      return false;
    }
    if (!signed) {
      return true;
    }
    const signatures = this.images.filter((i) => i.kind === 'signature').map((i) => i.subject);
    const signedParts = [image, ...(image.children ?? []).map((d) => this.images.find((i) => i.digest === d)!)].filter((i) => i.kind !== 'attestation');
    return signedParts.every((p) => signatures.includes(p.digest));
  }

  private retag(image: RegistryImage, tags: string[]): void {
    for (const other of this.images) {
      other.tags = other.tags.filter((t) => !tags.includes(t));
    }
    image.tags = [...tags];
  }

  private applyLifecycle(): void {
    const expired = evaluateLifecyclePolicy(this.rules, this.images, this.day);
    this.expiredImages.push(...this.images.filter((i) => expired.has(i.digest)));
    this.images = this.images.filter((i) => !expired.has(i.digest));
  }
}
