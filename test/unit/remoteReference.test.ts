// Which kustomize references are fetched rather than read from the workspace: kustomize 5.8's own
// test cases for git.NewRepoSpecFromURL (api/internal/git/repospec_test.go), its HTTP file rule
// (api/internal/loader/fileloader.go, IsRemoteFile), and paths that must stay local.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isRemoteFile, isRemoteReference, remoteReferenceKind } from '../../server/src/engine';

/** TestNewRepoSpecFromUrl_Permute: every host form with every repo path, sub-path and ref. */
function permutedUrls(): string[] {
  const hosts = [
    'gitHub.com/',
    'github.com:',
    'http://github.com/',
    'https://github.com/',
    'hTTps://github.com/',
    'https://git-codecommit.us-east-2.amazonaws.com/',
    'https://fabrikops2.visualstudio.com/',
    'ssh://git.example.com:7999/',
    'git::https://gitlab.com/',
    'git::http://git.example.com/',
    'git::https://git.example.com/',
    'git@github.com:',
    'git@github.com/',
    'git::git@github.com:',
    'org-12345@github.com:',
    'org-12345@github.com/',
  ];
  const urls: string[] = [];
  for (const host of hosts) {
    for (const repo of ['someOrg/someRepo', 'kubernetes/website']) {
      for (const sub of ['README.md', 'foo/krusty.txt', '']) {
        for (const ref of ['group/version', 'someBranch', 'master', 'v0.1.0', '']) {
          urls.push(`${host}${repo}${sub ? `/${sub}` : ''}${ref ? `?ref=${ref}` : ''}`);
        }
      }
    }
  }
  return urls;
}

/** TestNewRepoSpecFromUrl_Smoke inputs: all parsed as git repositories. */
const SMOKE = [
  'https://git-codecommit.us-east-2.amazonaws.com/someorg/somerepo/somedir',
  'https://git-codecommit.us-east-2.amazonaws.com/someorg/somerepo/somedir?ref=testbranch',
  'https://fabrikops2.visualstudio.com/someorg/somerepo?ref=master',
  'http://github.com/someorg/somerepo/somedir',
  'git@github.com:someorg/somerepo/somedir',
  'http://github.com/someorg/somerepo.git/somedir',
  'git@github.com:someorg/somerepo.git/somedir',
  'git@gitlab2.sqtools.ru:infra/kubernetes/thanos-base.git?ref=v0.1.0',
  'git@bitbucket.org:company/project.git//path?ref=branch',
  'git@bitbucket.org/company/project.git//path?ref=branch',
  'ssh://git@bitbucket.org/company/project.git//path?ref=branch',
  'https://itfs.mycompany.com/collection/project/_git/somerepos',
  'https://itfs.mycompany.com/collection/project/_git/somerepos?version=v1.0.0',
  'https://itfs.mycompany.com/collection/project/_git/somerepos/somedir?version=v1.0.0',
  'git::https://itfs.mycompany.com/collection/project/_git/somerepos',
  'https://bitbucket.example.com/scm/project/repository.git',
  'ssh://git-codecommit.us-east-2.amazonaws.com/someorg/somerepo/somepath',
  'git@github.com/someorg/somerepo/somepath',
  'https://github.com/kubernetes-sigs/kustomize//examples/multibases/dev/?ref=v1.0.6',
  'ssh://git@github.com/kubernetes-sigs/kustomize//examples/multibases/dev?ref=v1.0.6',
  'https://example.org/path/to/repo//examples/multibases/dev',
  'https://example.org/path/to/repo.git/examples/multibases/dev',
  'ssh://alice@example.com/path/to/repo//examples/multibases/dev',
  'https://authority/org/repo?ref=group/version',
  'https://authority/org/repo/?ref=includes_git/for_some_reason',
  'https://authority/org/repo/?ref=includes.git/for_some_reason',
  'https://authority/org/repo/%-invalid-uri-so-not-parsable-by-net/url.Parse',
  'ssh://myusername@bitbucket.org/ourteamname/ourrepositoryname.git//path?ref=branch',
  'http://git@home.com/path/to/repository.git//path?ref=branch',
  'https://git@home.com/path/to/repository.git//path?ref=branch',
  'ssh://git@ssh.github.com:443/YOUR-USERNAME/YOUR-REPOSITORY.git',
  'git@gitlab.com/user:name/YOUR-REPOSITORY.git/path',
  'git@gitlab.com:gitlab-tests/sample-project.git',
  'git@gitlab.com:gitlab-tests/sample-project',
  'https://username@dev.azure.com/org/project/_git/repo//path/to/kustomization/root',
  'https://org.visualstudio.com/project/_git/repo/path/to/kustomization/root',
  'ssh://org-12345@github.com/kubernetes-sigs/kustomize',
  'org-12345@github.com/kubernetes-sigs/kustomize',
  'git@gist.github.com:bc7947cb727d7f9217e7862d961a1ffd.git',
  'https://gist.github.com/bc7947cb727d7f9217e7862d961a1ffd.git',
];

/** Clones of a repository on this machine: never allowed, network or not. */
const FILE_CLONES = [
  'file://a/b/c/someRepo.git/somepath?ref=someBranch',
  'file://a/b/c/someRepo//somepath?ref=someBranch',
  'file://a/b/c/someRepo?ref=someBranch',
  'file:///a/b/c/someRepo?ref=someBranch',
  'file:///a/b/c/someRepo',
  'file:///',
  'file://git@home/path/to/repository.git//path?ref=branch',
  'git::file:///srv/repo//base',
];

/** Not remote for kustomize (TestNewRepoSpecFromUrlErrors and plain paths): read locally. */
const LOCAL = [
  '/tmp',
  '../../tmp',
  'src/github.com/org/repo/path',
  'iauhsdiuashduas',
  'github.com!org/repo.git//path',
  // "mysterious gh: prefix previously supported is no longer handled"
  'gh:org/repo',
  '../base',
  'base',
  'deployment.yaml',
  './github.com/vendored',
  './git@github.com:org/repo.yaml',
  'git/base',
  // A colon after a slash is part of a file name; kustomize needs `user@` or github.com for scp.
  './a:b',
  'a:b',
  // `user@host` with no repository path: repospec.go cannot split it, so it is a local name.
  'app@v1',
  'overlays/prod@2024',
  'foo?ref=main',
];

describe('remote kustomize references', () => {
  it("are every URL of kustomize's permutation table", () => {
    const urls = permutedUrls();
    assert.equal(urls.length, 16 * 2 * 3 * 5);
    for (const url of urls) assert.equal(isRemoteReference(url), true, url);
  });

  it("are every input of kustomize's smoke table", () => {
    for (const url of SMOKE) assert.equal(isRemoteReference(url), true, url);
  });

  it('include the scp-like forms that earlier versions read as local folders', () => {
    for (const url of [
      'github.com:org/repo//base',
      'user@host:org/repo//base',
      'user@host:org/repo',
      'deploy-bot@git.internal:platform/bases.git',
      'GitHub.com/org/repo',
      // Go lowercases the dotted capital I and the Kelvin sign to ASCII before comparing.
      'G\u0130THUB.COM/org/repo',
      'git::user@host:org/repo',
    ]) {
      assert.equal(remoteReferenceKind(url), 'git', url);
    }
  });

  it('tell HTTP files, clones and clones from this machine apart', () => {
    assert.equal(remoteReferenceKind('https://example.invalid/x.yaml'), 'http');
    assert.equal(remoteReferenceKind('HTTP://example.invalid/x.yaml'), 'http');
    assert.equal(remoteReferenceKind('http:example.invalid'), 'http');
    assert.equal(remoteReferenceKind('ssh://git@example.com/repo.git'), 'git');
    for (const url of FILE_CLONES) assert.equal(remoteReferenceKind(url), 'localGit', url);
  });

  it('leave local paths local', () => {
    for (const local of LOCAL) assert.equal(remoteReferenceKind(local), undefined, local);
  });

  it('count only http and https as remote files', () => {
    assert.equal(isRemoteFile('https://example.invalid/patch.yaml'), true);
    assert.equal(isRemoteFile('Http://example.invalid/patch.yaml'), true);
    for (const local of ['patch.yaml', 'github.com/org/patch.yaml', 'ssh://x/y', 'a:b']) {
      assert.equal(isRemoteFile(local), false, local);
    }
  });
});
