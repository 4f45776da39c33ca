/** @module Compute: where containers run. Public surface of `components/compute` (STYLE R14). */
export { DockerHost, addressOfDockerHost, dockerHostArgsErrors, type DockerHostArgs } from "./docker-host";
export {
  DEFAULT_AMI_NAME_FILTER,
  DEFAULT_AMI_OWNER,
  DEFAULT_BIND_ADDRESS,
  DEFAULT_GPU_COUNT,
  DEFAULT_KEY_DIR,
  DEFAULT_LOCAL_DOCKER_HOST,
  DEFAULT_READY_INTERVAL_SECONDS,
  DEFAULT_READY_TIMEOUT_SECONDS,
  DEFAULT_SSH_PORT,
  DEFAULT_VOLUME_GIB,
  type AwsGpuVmHostArgs,
  type DockerHostGpuArgs,
  type DockerLocalHostArgs,
  type DockerSshHostArgs,
  type SshIdentityArgs,
} from "./docker-host-args";
export {
  DEFAULT_MODEL_CACHE_DIR,
  DEFAULT_SSH_USER,
  USER_DATA_DONE_MARKER,
  checkUserDataOptions,
  renderUserData,
  type UserDataIssue,
  type UserDataOptions,
} from "./user-data";
