// SPDX-License-Identifier: Apache-2.0
import { Construct } from 'constructs';
import { bindConfiguredElsewhere, bindManagedSigning, bindNoSigning, BoundSigning } from './private/signing-registry';

/**
 * Whether Amazon ECR signs the images the workflow pushes (ECR managed
 * signing), and who manages the registry's signing configuration.
 *
 * ECR signs an image on push when the registry's signing configuration (one
 * per account and region) has a rule whose repository filters match the
 * repository; it signs with an AWS Signer signing profile, as the identity
 * that pushes, which therefore needs `signer:SignPayload` on the profile.
 * With signing, the role gets that permission on the profile only, and the
 * rendered workflow waits after the push until the image is signed.
 */
export abstract class ImageSigning {
  /**
   * This app manages signing: one AWS Signer signing profile
   * (`Notation-OCI-SHA384-ECDSA`, retained, named by CloudFormation) and the
   * registry's signing configuration, one per account and region of the app,
   * whose rules match the repositories of every publisher with
   * `ImageSigning.managed()` (a fleet's repositories by wildcard, those that
   * opt out excluded).
   *
   * Both live in one stack per account and region: a fleet's base stack,
   * else the first stack by construct path that has such a publisher. The
   * registry's signing configuration must not be managed anywhere else (the
   * console, another app): deploying it fails or replaces theirs.
   */
  public static managed(): ImageSigning {
    return new ManagedSigning();
  }

  /**
   * The registry's signing configuration is managed elsewhere (another app,
   * the console, a platform team), with a rule that matches this repository
   * and signs with `signingProfileArn`: the role gets `signer:SignPayload` on
   * that profile and the workflow waits for the signature; nothing is created.
   *
   * @param signingProfileArn the AWS Signer signing profile of the rule,
   * `arn:<partition>:signer:<region>:<account>:/signing-profiles/<name>`, in the
   * publisher's account and region
   */
  public static configuredElsewhere(signingProfileArn: string): ImageSigning {
    return new ConfiguredElsewhere(signingProfileArn);
  }

  /**
   * No signing (the default). In a fleet whose defaults sign, a repository
   * with this setting is left out of the signing configuration's filters.
   */
  public static none(): ImageSigning {
    return new NoSigning();
  }

  /**
   * Whether ECR signs the publisher's pushes.
   * @internal
   */
  public readonly _signs: boolean;

  /**
   * Use the static factories: `managed()`, `configuredElsewhere()` or `none()`.
   *
   * @param signs whether ECR signs the publisher's pushes
   */
  protected constructor(signs: boolean = true) {
    this._signs = signs;
  }

  /**
   * Registers the publisher with the app's signing configuration, if any.
   * @internal
   */
  public abstract _bind(publisher: Construct, repositoryName: string): BoundSigning;

  /**
   * The same setting for a repository whose name a fleet derives under
   * `namespace` (`owner/`): its filter may be a wildcard over the namespace.
   * @internal
   */
  public _inNamespace(_namespace: string): ImageSigning {
    return this;
  }
}

class ManagedSigning extends ImageSigning {
  constructor(private readonly namespace?: string) {
    super();
  }

  public _bind(publisher: Construct, repositoryName: string): BoundSigning {
    return bindManagedSigning(publisher, repositoryName, this.namespace);
  }

  public _inNamespace(namespace: string): ImageSigning {
    return new ManagedSigning(namespace);
  }
}

class ConfiguredElsewhere extends ImageSigning {
  constructor(private readonly signingProfileArn: string) {
    super();
  }

  public _bind(publisher: Construct, repositoryName: string): BoundSigning {
    return bindConfiguredElsewhere(publisher, repositoryName, this.signingProfileArn);
  }
}

class NoSigning extends ImageSigning {
  constructor() {
    super(false);
  }

  public _bind(publisher: Construct, repositoryName: string): BoundSigning {
    return bindNoSigning(publisher, repositoryName);
  }
}
