// PODSync: the libcurl transport, the Etsy and Printify clients, OAuth and the sync engine
// (DESIGN.md §4–6). Not built yet: the sync and connect issues fill this target.
import Foundation
