package main

import "github.com/spf13/cobra"

// addMoreCommands registers the commands beyond fetch, extract and
// version: history views, tracking and publishing.
func addMoreCommands(root *cobra.Command, a *app) {
	root.AddCommand(
		newLogCmd(a),
		newDiffCmd(a),
		newShowCmd(a),
		newRunCmd(a), newInitCmd(a),
		newPublishCmd(a), newPushCmd(a),
		newRerenderCmd(a), newVolatileCmd(a),
		newStatusCmd(a),
	)
	addCompletions(root)
}
