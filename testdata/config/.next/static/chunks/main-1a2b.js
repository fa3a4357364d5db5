(self.webpackChunk=self.webpackChunk||[]).push([[1],{1:function(e){e.exports={ok:!0}}}]);
//# sourceMappingURL=main-1a2b.js.map
