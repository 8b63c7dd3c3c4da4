// Preloaded into each node (node --import): the launcher holds the write end of the node's stdin,
// so when the launcher dies, however (Ctrl-C, kill -9), stdin ends and the node stops itself
// cleanly instead of running on and holding its ports. Node has no prctl(PR_SET_PDEATHSIG);
// a pipe that closes with its owner is the portable way.
process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'))
process.stdin.resume()
// Reading stdin must not by itself keep a node alive whose start failed.
process.stdin.unref?.()
